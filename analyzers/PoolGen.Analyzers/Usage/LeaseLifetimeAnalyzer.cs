using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using PoolGen.Analyzers.Usage.Disposal;

namespace PoolGen.Analyzers.Usage;

/// <summary>
/// POOL103 (a lease or its connection used after the lease was disposed) and POOL104 (a lease disposed twice, a copy of
/// it disposed as well, or a borrowed parameter disposed). Path-sensitive, on the method's
/// <see cref="ControlFlowGraph"/>: see <see cref="DisposalAnalysis"/>.
/// </summary>
/// <remarks>
/// Cost: a method gets a graph only when it reads a lease-typed local or parameter and disposes or returns a lease other
/// than through a using declaration, or keeps a lease's connection in a local, which the walk of
/// <see cref="BodyFacts"/> (shared with the other body analyzers) decides; the driver shares the graph with the leak
/// analyzer.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LeaseLifetimeAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.LeaseUsedAfterDispose, DiagnosticDescriptors.LeaseDisposedTwice);

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
            if (!LeaseOperations.IsFlowBody(body) || !BodyFacts.Of(body).NeedsDisposalFlow)
            {
                continue;
            }

            var report = new DisposalReport();
            DisposalAnalysis.Analyze(context.GetControlFlowGraph(body), context.OwningSymbol, report, context.CancellationToken);
            foreach (Diagnostic diagnostic in report.Diagnostics)
            {
                context.ReportDiagnostic(diagnostic);
            }
        }
    }
}
