using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using PoolGen.Analyzers.Tests.Infrastructure;
using PoolGen.Analyzers.Usage.Flow;
using State = System.Collections.Immutable.ImmutableHashSet<string>;

namespace PoolGen.Analyzers.Tests.Usage;

/// <summary>
/// The driver's own rules, apart from any lease rule: where finally regions run, where a throw goes, where a condition
/// splits. The analysis here only remembers which methods may have been called.
/// </summary>
public sealed class FlowDriverTests
{
    [Fact]
    public void Return_RunsTheFinallyOnItsOwnState()
    {
        CallsSeen seen = Run("""
            int M(bool f)
            {
                try
                {
                    A();
                    if (f) return 1;
                    B();
                }
                finally
                {
                    C();
                }

                return 2;
            }
            """);

        Assert.Equal(new[] { "A f=true -> A C f=true" }, seen.FinallyReturns);
        Assert.Equal(new[] { "A B C f=false f=true" }, seen.Exits);
    }

    [Fact]
    public void Throw_RunsTheFinallyThenEntersTheCatchAroundIt()
    {
        CallsSeen seen = Run("""
            void M()
            {
                try
                {
                    try
                    {
                        A();
                        throw new System.Exception();
                    }
                    finally
                    {
                        C();
                    }
                }
                catch
                {
                    Mark();
                }
            }
            """);

        Assert.Equal("A C", seen.Marks.Last());
        Assert.Empty(seen.UncaughtThrows);
    }

    [Fact]
    public void UncaughtThrow_GetsTheStateAfterTheFinally()
    {
        CallsSeen seen = Run("""
            void M()
            {
                try
                {
                    A();
                    throw new System.Exception();
                }
                finally
                {
                    C();
                }
            }
            """);

        Assert.Equal(new[] { "A C" }, seen.UncaughtThrows);
    }

    [Theory]
    [InlineData(true, "A")]
    [InlineData(false, null)]
    public void ThrowingOperations_EnterTheCatchOnlyWhenTheAnalysisFollowsThem(bool followsThrowingOperations, string? marked)
    {
        CallsSeen seen = Run("""
            void M()
            {
                try
                {
                    A();
                    B();
                }
                catch
                {
                    Mark();
                }
            }
            """, followsThrowingOperations);

        Assert.Equal(marked, seen.Marks.LastOrDefault());
    }

    [Fact]
    public void Condition_SplitsTheStateOnItsEdges()
    {
        CallsSeen seen = Run("""
            void M(bool f)
            {
                if (f)
                {
                    Mark();
                }
            }
            """);

        Assert.Equal(new[] { "f=true" }, seen.Marks);
    }

    [Fact]
    public void UncaughtException_RunsTheFinallyOnItsWayOut_AndStopsAtACatch()
    {
        CallsSeen seen = Run("""
            public void M()
            {
                A();
                try
                {
                    B();
                }
                finally
                {
                    C();
                }

                try
                {
                    B();
                }
                catch (System.Exception)
                {
                }
            }
            """, followsUncaughtExceptions: true);

        // Only the first B() may throw out of the method: A ran before it, and its finally runs C on the way out.
        Assert.Equal(new[] { "A C" }, seen.UncaughtExceptions.Distinct());
    }

    private static CallsSeen Run(string method, bool followsThrowingOperations = false, bool followsUncaughtExceptions = false)
    {
        string source = $$"""
            public sealed class Code
            {
                {{method}}

                private static void A() { }
                private static void B() { }
                private static void C() { }
                private static void Mark() { }
            }
            """;
        CSharpCompilation compilation = CSharpCompilation.Create(
            "FlowDriverTests", new[] { CSharpSyntaxTree.ParseText(source, TestCompilation.ParseOptions) }, TestCompilation.References,
            TestCompilation.Options);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        SyntaxTree tree = compilation.SyntaxTrees.Single();
        MethodDeclarationSyntax declaration = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().First();
        var body = (IMethodBodyOperation)compilation.GetSemanticModel(tree).GetOperation(declaration)!;

        var seen = new CallsSeen(followsThrowingOperations, followsUncaughtExceptions);
        FlowDriver<State>.Run(ControlFlowGraph.Create(body), body.SemanticModel!.GetDeclaredSymbol(declaration)!, (_, _) => seen,
            lambdasInBranchValues: true, default);
        return seen;
    }

    /// <summary>A "may have called" analysis that writes down the states the driver shows it.</summary>
    private sealed class CallsSeen : FlowAnalysis<State>
    {
        public CallsSeen(bool followsThrowingOperations, bool followsUncaughtExceptions = false)
        {
            FollowsThrowingOperations = followsThrowingOperations;
            FollowsUncaughtExceptions = followsUncaughtExceptions;
        }

        public override State Entry => State.Empty;

        public override bool FollowsThrowingOperations { get; }

        public List<string> Marks { get; } = new();

        public List<string> FinallyReturns { get; } = new();

        public List<string> Exits { get; } = new();

        public List<string> UncaughtThrows { get; } = new();

        public override bool FollowsUncaughtExceptions { get; }

        public List<string> UncaughtExceptions { get; } = new();

        // Only B() is said to throw, carrying what was called before it.
        public override State? ThrownFrom(IOperation operation, State before, State after) =>
            operation.DescendantsAndSelf().Any(o => o is IInvocationOperation { TargetMethod.Name: "B" }) ? before : null;

        public override void AtUncaughtException(IOperation operation, State state) => UncaughtExceptions.Add(Show(state));

        public override State Join(State known, State incoming) => known.Union(incoming);

        public override bool SameAs(State joined, State known) => joined.SetEquals(known);

        public override State AfterFinallyNoPathLeaves(State entry) => entry;

        public override State Transfer(IOperation operation, State state)
        {
            if (operation is not IInvocationOperation { TargetMethod.Name: var name })
            {
                return state;
            }

            if (name == "Mark")
            {
                Marks.Add(Show(state));
                return state;
            }

            return state.Add(name);
        }

        public override (State WhenTrue, State WhenFalse) Split(IOperation condition, State state) =>
            condition is IParameterReferenceOperation { Parameter.Name: var name }
                ? (state.Add($"{name}=true"), state.Add($"{name}=false"))
                : (state, state);

        public override void ReturnsThroughFinally(IOperation returned, State beforeFinally, State afterFinally) =>
            FinallyReturns.Add($"{Show(beforeFinally)} -> {Show(afterFinally)}");

        public override void AtExit(State state) => Exits.Add(Show(state));

        public override void AtUncaughtThrow(State state) => UncaughtThrows.Add(Show(state));

        private static string Show(State state) => string.Join(" ", state.OrderBy(call => call, System.StringComparer.Ordinal));
    }
}
