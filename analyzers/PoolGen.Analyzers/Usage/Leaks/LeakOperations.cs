using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PoolGen.Analyzers.Usage.Leaks;

/// <summary>
/// Recognises, in control-flow-graph operations, what the leak analysis follows: where a lease comes from (a rent, a
/// <c>TryRent</c>) and where it goes (a dispose, a lambda or local function that disposes it).
/// </summary>
internal static class LeakOperations
{
    /// <summary>Whether a call returns a lease or a task of one, or rents one out through an <c>out</c> argument.</summary>
    public static bool Rents(IInvocationOperation invocation) =>
        IsLeaseOrTask(invocation.Type) || TryRentTarget(invocation) is not null;

    /// <summary>
    /// The call that produced a lease when <paramref name="value"/> is one: a call returning a lease, or an awaited call
    /// returning a task of one (through <c>ConfigureAwait</c>).
    /// </summary>
    public static IOperation? Acquisition(IOperation value)
    {
        value = LeaseOperations.Strip(value);
        if (value is IInvocationOperation invocation && LeaseTypes.IsLease(invocation.Type))
        {
            return invocation;
        }

        if (value is IAwaitOperation awaited && LeaseTypes.IsLease(awaited.Type))
        {
            IOperation task = LeaseOperations.Strip(awaited.Operation);
            while (task is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } instance })
            {
                task = LeaseOperations.Strip(instance);
            }

            return task is IInvocationOperation ? task : null;
        }

        return null;
    }

    /// <summary>
    /// The local a <c>TryRent</c>-shaped call fills: a call returning <c>bool</c> with an <c>out</c> argument of a lease type
    /// that is a local.
    /// </summary>
    public static ILocalSymbol? TryRentTarget(IInvocationOperation invocation)
    {
        if (invocation.Type?.SpecialType != SpecialType.System_Boolean)
        {
            return null;
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind == RefKind.Out && LeaseTypes.IsLease(argument.Parameter.Type)
                && Local(argument.Value, null) is { } local)
            {
                return local;
            }
        }

        return null;
    }

    /// <summary>The lease local that <paramref name="operation"/> reads, directly or through a capture of the graph.</summary>
    public static ILocalSymbol? Local(IOperation? operation, IReadOnlyDictionary<CaptureId, ISymbol>? captures) =>
        LeaseOperations.Variable(operation, captures) as ILocalSymbol;

    /// <summary>The local whose lease a call disposes: <c>l.Dispose()</c>, <c>l.DisposeAsync()</c>, also through a using's capture.</summary>
    public static ILocalSymbol? Disposed(IInvocationOperation invocation, IReadOnlyDictionary<CaptureId, ISymbol> captures) =>
        LeaseOperations.IsDispose(invocation.TargetMethod) ? Local(invocation.Instance, captures) : null;

    /// <summary>
    /// The captures of a graph that a rent may fill: the value of a conditional or switch expression with a rent in one of
    /// its arms (<c>var lease = fast ? a.Rent() : b.Rent();</c>), whose local then holds a lease from that expression.
    /// </summary>
    public static HashSet<CaptureId> AcquiringCaptures(ControlFlowGraph graph)
    {
        var captures = new HashSet<CaptureId>();
        foreach (BasicBlock block in graph.Blocks)
        {
            foreach (IOperation operation in block.Operations)
            {
                if (operation is IFlowCaptureOperation capture && Acquisition(capture.Value) is not null)
                {
                    captures.Add(capture.Id);
                }
            }
        }

        return captures;
    }

    /// <summary>
    /// The outer locals that a lambda's or local function's graph disposes (or hands to a <c>[TakesLease]</c>
    /// parameter), lambdas nested in it included.
    /// </summary>
    public static HashSet<ILocalSymbol> DisposedIn(ControlFlowGraph graph)
    {
        var disposed = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        Collect(graph, disposed);
        return disposed;
    }

    /// <summary>
    /// The first call in <paramref name="operation"/> that may throw: a method or delegate call, an object creation or an
    /// await. Disposing a lease, and calls on a lease, are not counted: they are what returns it. Lambdas in it are not
    /// run there, and property reads are left out as almost never throwing.
    /// </summary>
    public static IOperation? MayThrow(IOperation operation)
    {
        foreach (IOperation inner in operation.DescendantsAndSelf())
        {
            switch (inner)
            {
                case IInvocationOperation invocation when !OnLease(invocation):
                case IObjectCreationOperation:
                case IDynamicInvocationOperation:
                    return inner;
                case IAwaitOperation awaited when !(LeaseOperations.Strip(awaited.Operation) is IInvocationOperation awaitedCall && OnLease(awaitedCall)):
                    return inner;
            }
        }

        return null;
    }

    // 'lease.Dispose()', 'lease.DisposeAsync().ConfigureAwait(false)', 'lease.Invalidate()'.
    private static bool OnLease(IInvocationOperation invocation) =>
        invocation.Instance is { } instance
        && (invocation.TargetMethod.Name == "ConfigureAwait" && LeaseOperations.Strip(instance) is IInvocationOperation configured
            ? OnLease(configured)
            : LeaseTypes.IsLease(LeaseOperations.Strip(instance).Type));

    /// <summary>The graph of a local function that <paramref name="graph"/> (or a graph around it) declares.</summary>
    public static ControlFlowGraph? LocalFunctionGraph(ControlFlowGraph graph, IMethodSymbol function)
    {
        for (ControlFlowGraph? current = graph; current is not null; current = current.Parent)
        {
            foreach (IMethodSymbol candidate in current.LocalFunctions)
            {
                if (SymbolEqualityComparer.Default.Equals(candidate, function.OriginalDefinition))
                {
                    return current.GetLocalFunctionControlFlowGraph(candidate);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The lease locals a value is made of: the local itself, those among a tuple's elements, or the one a task of a
    /// lease is made from (<c>Task.FromResult(lease)</c>, <c>new ValueTask&lt;Db.Lease&gt;(lease)</c>).
    /// </summary>
    public static IEnumerable<ILocalSymbol> LeaseLocals(IOperation value, IReadOnlyDictionary<CaptureId, ISymbol> captures)
    {
        IOperation stripped = LeaseOperations.Strip(value);
        IEnumerable<IOperation> parts = stripped switch
        {
            ITupleOperation tuple => tuple.Elements,
            IInvocationOperation call when LeaseTypes.IsLeaseTask(call.Type) => call.Arguments.Select(a => a.Value),
            IObjectCreationOperation creation when LeaseTypes.IsLeaseTask(creation.Type) => creation.Arguments.Select(a => a.Value),
            _ => Enumerable.Empty<IOperation>(),
        };

        if (Local(value, captures) is { } local)
        {
            yield return local;
        }

        foreach (IOperation part in parts)
        {
            foreach (ILocalSymbol inner in LeaseLocals(part, captures))
            {
                yield return inner;
            }
        }
    }

    /// <summary>
    /// The lease local a null check tests: <c>lease == null</c>, <c>lease != null</c>, <c>lease is null</c>,
    /// <c>lease is not null</c> and the compiler's own null check of a using.
    /// </summary>
    public static ILocalSymbol? NullCheck(IOperation condition, IReadOnlyDictionary<CaptureId, ISymbol> captures, out bool nullWhenTrue)
    {
        nullWhenTrue = true;
        switch (condition)
        {
            case IIsNullOperation isNull:
                return Local(isNull.Operand, captures);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                nullWhenTrue = binary.OperatorKind == BinaryOperatorKind.Equals;
                return LeaseOperations.IsNull(binary.RightOperand) ? Local(binary.LeftOperand, captures)
                    : LeaseOperations.IsNull(binary.LeftOperand) ? Local(binary.RightOperand, captures)
                    : null;
            case IIsPatternOperation { Pattern: IConstantPatternOperation { Value: var constant } } pattern when LeaseOperations.IsNull(constant):
                return Local(pattern.Value, captures);
            case IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IConstantPatternOperation { Value: var negatedConstant } } } negated
                when LeaseOperations.IsNull(negatedConstant):
                nullWhenTrue = false;
                return Local(negated.Value, captures);
            default:
                return null;
        }
    }

    private static bool IsLeaseOrTask(ITypeSymbol? type) =>
        type is { SpecialType: SpecialType.None } && (LeaseTypes.IsLease(type) || LeaseTypes.IsLeaseTask(type));

    private static void Collect(ControlFlowGraph graph, HashSet<ILocalSymbol> disposed)
    {
        Dictionary<CaptureId, ISymbol> captures = LeaseOperations.Captures(graph);
        foreach (BasicBlock block in graph.Blocks)
        {
            foreach (IOperation root in LeaseOperations.Roots(block))
            {
                foreach (IOperation operation in root.DescendantsAndSelf())
                {
                    ILocalSymbol? local = operation switch
                    {
                        IInvocationOperation invocation => Disposed(invocation, captures),
                        IArgumentOperation argument when LeaseOperations.TakesLease(argument.Parameter) => Local(argument.Value, captures),
                        _ => null,
                    };
                    if (local is not null)
                    {
                        disposed.Add(local);
                    }

                    if (operation is IFlowAnonymousFunctionOperation lambda)
                    {
                        Collect(graph.GetAnonymousFunctionControlFlowGraph(lambda), disposed);
                    }
                }
            }
        }

        foreach (IMethodSymbol function in graph.LocalFunctions)
        {
            Collect(graph.GetLocalFunctionControlFlowGraph(function), disposed);
        }
    }
}
