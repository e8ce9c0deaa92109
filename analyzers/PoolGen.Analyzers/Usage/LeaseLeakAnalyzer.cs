using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using PoolGen.Analyzers.Usage.Leaks;

namespace PoolGen.Analyzers.Usage;

/// <summary>
/// POOL101: a lease held in a local is not disposed on some path through the method; POOL108: it is disposed on every
/// path that runs normally, but not when a call between the rent and the disposal throws. Path-sensitive, on the
/// method's <see cref="ControlFlowGraph"/>: see <see cref="LeakAnalysis"/> for what counts as disposing and what as
/// handing on.
/// </summary>
/// <remarks>
/// Cost: a method gets a graph only when one of its calls returns a lease (or a task of one) or rents one out through an
/// <c>out</c> parameter, other than as the resource of a <c>using</c>, which the walk of <see cref="BodyFacts"/> (shared
/// with the other body analyzers) decides. The driver caches the graph per method for every analyzer that asks for it.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LeaseLeakAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.LeaseLeaked, DiagnosticDescriptors.LeaseLeakedOnException);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationBlockAction(Analyze);
    }

    private static void Analyze(OperationBlockAnalysisContext context)
    {
        foreach (IOperation body in context.OperationBlocks)
        {
            if (!LeaseOperations.IsFlowBody(body) || !BodyFacts.Of(body).NeedsLeakFlow)
            {
                continue;
            }

            var report = new LeakReport();
            LeakAnalysis.Analyze(context.GetControlFlowGraph(body), context.OwningSymbol, report, context.CancellationToken);
            foreach (KeyValuePair<IOperation, string> leak in report.Leaks)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.LeaseLeaked, leak.Key.Syntax.GetLocation(), Call(leak.Key), leak.Value));
            }

            foreach (KeyValuePair<IOperation, (IOperation Call, ILocalSymbol Local)> leak in report.ExceptionLeaks)
            {
                int line = leak.Value.Call.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.LeaseLeakedOnException, leak.Key.Syntax.GetLocation(), new[] { leak.Value.Call.Syntax.GetLocation() },
                    Call(leak.Key), $"'{leak.Value.Call.Syntax}' at line {line}", leak.Value.Local.Name));
            }
        }
    }

    // The rent's name ('Rent', 'RentAsync'), or the whole expression for a conditional or switch expression.
    private static string Call(IOperation acquisition) =>
        acquisition is IInvocationOperation invocation ? invocation.TargetMethod.Name : acquisition.Syntax.ToString();
}
