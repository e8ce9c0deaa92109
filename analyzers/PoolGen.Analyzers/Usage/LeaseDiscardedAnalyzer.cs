using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace PoolGen.Analyzers.Usage;

/// <summary>
/// POOL102: a call that returns a lease (directly, or as a task that is awaited or not) used as a statement on its own,
/// or assigned to the discard <c>_</c>. Nobody can dispose that lease, so its connection never returns to the pool.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LeaseDiscardedAnalyzer : DiagnosticAnalyzer
{
    /// <summary>
    /// The diagnostic property that says how the lease was lost: <see cref="Lease"/>, <see cref="AwaitedLease"/> or
    /// <see cref="LeaseTask"/> (a task of a lease that was not awaited). The code fix reads it.
    /// </summary>
    public const string ShapeProperty = "Shape";

    public const string Lease = nameof(Lease);
    public const string AwaitedLease = nameof(AwaitedLease);
    public const string LeaseTask = nameof(LeaseTask);

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.LeaseDiscarded);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(Analyze, OperationKind.ExpressionStatement);
    }

    private static void Analyze(OperationAnalysisContext context)
    {
        IOperation discarded = ((IExpressionStatementOperation)context.Operation).Operation;
        if (discarded is ISimpleAssignmentOperation { Target: IDiscardOperation } assignment)
        {
            discarded = assignment.Value;
        }

        IInvocationOperation? invocation = FindRent(discarded, out string shape);
        if (invocation is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.LeaseDiscarded,
                invocation.Syntax.GetLocation(),
                ImmutableDictionary<string, string?>.Empty.Add(ShapeProperty, shape),
                invocation.TargetMethod.Name));
        }
    }

    // The call whose lease is lost: 'pool.Rent()', 'await pool.RentAsync()', or the un-awaited task of 'pool.RentAsync()'.
    // Checking the type first keeps this cheap: most statements are not calls that return leases.
    private static IInvocationOperation? FindRent(IOperation operation, out string shape)
    {
        shape = Lease;
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        if (operation is IAwaitOperation awaited)
        {
            shape = AwaitedLease;
            return LeaseTypes.IsLease(awaited.Type) ? FindInvocation(awaited.Operation) : null;
        }

        if (operation is not IInvocationOperation invocation)
        {
            return null;
        }

        if (LeaseTypes.IsLease(invocation.Type))
        {
            return invocation;
        }

        shape = LeaseTask;
        return LeaseTypes.IsLeaseTask(invocation.Type) ? invocation : null;
    }

    private static IInvocationOperation? FindInvocation(IOperation operation)
    {
        // 'await pool.RentAsync().ConfigureAwait(false)': the lease comes from the call ConfigureAwait is made on.
        while (operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } instance })
        {
            operation = instance;
        }

        return operation as IInvocationOperation;
    }
}
