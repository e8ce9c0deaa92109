using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using PoolGen.Analyzers.Usage.Connections;

namespace PoolGen.Analyzers.Usage;

/// <summary>
/// POOL105 (the connection escapes its lease, see <see cref="ConnectionEscapes"/>) and POOL106 (the pooled connection
/// closed or disposed directly, see <see cref="ConnectionCloses"/>). Neither needs control flow: where the connection
/// goes is enough.
/// </summary>
/// <remarks>
/// Cost: the walk of <see cref="BodyFacts"/>, shared with the other body analyzers, tells whether a body reads a
/// lease's <c>Connection</c>; only those get a second walk that collects the reads.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ConnectionUseAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.ConnectionEscapesLease, DiagnosticDescriptors.PooledConnectionClosed);

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
            if (!BodyFacts.Of(body).ReadsConnection || ConnectionReads.Find(body, context.OwningSymbol) is not { } reads)
            {
                continue;
            }

            ConnectionEscapes.Report(reads, body, context.ReportDiagnostic);
            ConnectionCloses.Report(reads, context.ReportDiagnostic);
        }
    }
}
