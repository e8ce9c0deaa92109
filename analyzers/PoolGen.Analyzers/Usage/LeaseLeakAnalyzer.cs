using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using PoolGen.Analyzers.Usage.Leaks;

namespace PoolGen.Analyzers.Usage;

/// <summary>
/// POOL101: a lease held in a local is not disposed on some path through the method. Path-sensitive, on the method's
/// <see cref="ControlFlowGraph"/>: see <see cref="LeakAnalysis"/> for what counts as disposing and what as handing on.
/// </summary>
/// <remarks>
/// Cost: a method gets a graph only when one of its calls returns a lease (or a task of one) or rents one out through an
/// <c>out</c> parameter, which one walk over its operations decides. The driver caches the graph per method for
/// every analyzer that asks for it.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LeaseLeakAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.LeaseLeaked);

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
            if (!LeaseOperations.IsFlowBody(body) || !LeakOperations.MentionsLease(body))
            {
                continue;
            }

            var report = new LeakReport();
            LeakAnalysis.Analyze(context.GetControlFlowGraph(body), context.OwningSymbol, report, context.CancellationToken);
            foreach (KeyValuePair<IOperation, string> leak in report.Leaks)
            {
                string call = leak.Key is IInvocationOperation invocation ? invocation.TargetMethod.Name : leak.Key.Syntax.ToString();
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.LeaseLeaked, leak.Key.Syntax.GetLocation(), call, leak.Value));
            }
        }
    }
}
