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
/// Cost: a method gets a graph only when it reads a lease-typed local or parameter, which one walk over its operations
/// decides; the driver shares the graph with the leak analyzer.
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
            if (!LeaseOperations.IsFlowBody(body) || !ReadsLeaseVariable(body))
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

    private static bool ReadsLeaseVariable(IOperation body)
    {
        foreach (IOperation operation in body.Descendants())
        {
            ITypeSymbol? type = operation switch
            {
                ILocalReferenceOperation local => local.Local.Type,
                IParameterReferenceOperation parameter => parameter.Parameter.Type,
                _ => null,
            };
            if (type is { SpecialType: SpecialType.None, IsValueType: true } or { TypeKind: TypeKind.Class } && LeaseTypes.IsLease(type))
            {
                return true;
            }
        }

        return false;
    }
}
