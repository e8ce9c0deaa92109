using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace PoolGen.Analyzers.Usage;

/// <summary>
/// POOL102: a lease that nothing holds once the expression that rented it is done, so nobody can dispose it: a call
/// that returns a lease (directly, or as a task that is awaited or not) used as a statement on its own or assigned to
/// the discard <c>_</c>; a member read straight off the rented lease (<c>pool.Rent().Connection</c>, the
/// "GetConnection helper"); a rent passed straight to a lease parameter that only borrows it (<c>Use(pool.Rent())</c>);
/// and <c>TryRent(out _)</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LeaseDiscardedAnalyzer : DiagnosticAnalyzer
{
    /// <summary>
    /// The diagnostic property that says how the lease was lost: <see cref="Lease"/>, <see cref="AwaitedLease"/>,
    /// <see cref="LeaseTask"/> (a task of a lease that was not awaited), <see cref="Member"/> (a member read off the
    /// rented lease), <see cref="Borrowed"/> (a rent passed to a borrowing parameter) or <see cref="OutDiscard"/>
    /// (<c>TryRent(out _)</c>). The code fix reads it.
    /// </summary>
    public const string ShapeProperty = "Shape";

    /// <summary>A lease-returning call used as a statement or assigned to <c>_</c>.</summary>
    public const string Lease = nameof(Lease);

    /// <summary>An awaited rent used as a statement or assigned to <c>_</c>.</summary>
    public const string AwaitedLease = nameof(AwaitedLease);

    /// <summary>A task of a lease, neither awaited nor kept.</summary>
    public const string LeaseTask = nameof(LeaseTask);

    /// <summary>A member read straight off the rented lease: <c>pool.Rent().Connection</c>.</summary>
    public const string Member = nameof(Member);

    /// <summary>A lease rented into the discard: <c>pool.TryRent(out _)</c>.</summary>
    public const string OutDiscard = nameof(OutDiscard);

    /// <summary>A rent passed straight to a lease parameter that only borrows it: <c>Use(pool.Rent())</c>.</summary>
    public const string Borrowed = nameof(Borrowed);

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.LeaseDiscarded);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(Analyze, OperationKind.Invocation);
    }

    private static void Analyze(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;

        // Cheapest tests first: most calls return void, a primitive or a type that is no lease.
        string? shape = invocation.Type switch
        {
            null or { SpecialType: SpecialType.System_Void } => null,
            { SpecialType: SpecialType.System_Boolean } => DiscardsOutLease(invocation) ? OutDiscard : null,
            { SpecialType: not SpecialType.None } => null,
            var type when LeaseTypes.IsLease(type) => Lost(invocation, awaited: false),
            var type when LeaseTypes.IsLeaseTask(type) => LostTask(invocation),
            _ => null,
        };
        if (shape is null)
        {
            return;
        }

        (string how, string fix) = shape switch
        {
            Member => (" as soon as its '" + MemberName(invocation) + "' is read",
                "keep the lease in 'using var lease = ...' and use 'lease.Connection' while it lives, or return the lease itself from a helper (its caller disposes it)"),
            Borrowed => (" once '" + BorrowerName(invocation) + "' returns, which only borrows it (its parameter has no [TakesLease])",
                "keep it in 'using var lease = ...' and pass 'lease', or mark the parameter [TakesLease] if that method disposes it"),
            OutDiscard => (" into 'out _'",
                "keep it ('if (pool.TryRent(out var lease)) { using (lease) { ... } }'), or read the pool's 'Stats' to see whether a connection is free"),
            _ => ("", "keep it in 'using var lease = ...' (or 'await using var') so it is disposed"),
        };
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.LeaseDiscarded,
            invocation.Syntax.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(ShapeProperty, shape),
            invocation.TargetMethod.Name, how, fix));
    }

    // How a lease value is lost, or null when something keeps it: a statement of its own, the discard, a member read
    // off it (other than disposing it: 'pool.Rent().Dispose()' is a legal, if odd, capacity check), or a parameter that
    // only borrows it.
    private static string? Lost(IOperation value, bool awaited)
    {
        (IOperation? parent, IOperation child) = LeaseOperations.Consumer(value);
        return parent switch
        {
            IExpressionStatementOperation => awaited ? AwaitedLease : Lease,
            ISimpleAssignmentOperation { Target: IDiscardOperation, Parent: IExpressionStatementOperation } assignment when assignment.Value == child =>
                awaited ? AwaitedLease : Lease,
            IPropertyReferenceOperation property when property.Instance == child => Member,
            IInvocationOperation call when call.Instance == child && !LeaseOperations.IsDispose(call.TargetMethod) => Member,

            // Only a parameter declared with a lease type borrows for sure: a generic one ('list.Add(T)',
            // 'Task.FromResult(T)', 'Interlocked.Exchange(ref T, T)') may keep or hand on what it gets.
            IArgumentOperation { Parameter: { } parameter } when LeaseTypes.IsLease(parameter.OriginalDefinition.Type)
                                                                 && !LeaseOperations.TakesLease(parameter) => Borrowed,
            _ => null,
        };
    }

    // The method or constructor a borrowed rent is passed to.
    private static string BorrowerName(IOperation rent)
    {
        IOperation? parent = LeaseOperations.Consumer(rent).Parent;
        while (parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } or IAwaitOperation)
        {
            parent = LeaseOperations.Consumer(parent).Parent;
        }

        return parent is IArgumentOperation { Parameter.ContainingSymbol: IMethodSymbol method }
            ? method.MethodKind == MethodKind.Constructor ? "new " + method.ContainingType.Name : method.Name
            : "the method";
    }

    // A task of a lease: lost when it is awaited and the lease is then lost, or when the task itself is dropped.
    private static string? LostTask(IInvocationOperation invocation)
    {
        (IOperation? parent, IOperation child) = LeaseOperations.Consumer(invocation);

        // 'await pool.RentAsync().ConfigureAwait(false)': the lease comes from the call ConfigureAwait is made on.
        while (parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure && configure.Instance == child)
        {
            (parent, child) = LeaseOperations.Consumer(configure);
        }

        if (parent is IAwaitOperation awaited)
        {
            return Lost(awaited, awaited: true);
        }

        return child == invocation && Lost(invocation, awaited: false) is Lease ? LeaseTask : null;
    }

    // 'pool.TryRent(out _)': a bool-returning call whose out argument of a lease type is the discard.
    private static bool DiscardsOutLease(IInvocationOperation invocation)
    {
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind == RefKind.Out && argument.Value is IDiscardOperation && LeaseTypes.IsLease(argument.Parameter.Type))
            {
                return true;
            }
        }

        return false;
    }

    // The member read off the lease, past the await and ConfigureAwait of a rent that returns a task.
    private static string MemberName(IOperation rent)
    {
        IOperation? parent = LeaseOperations.Consumer(rent).Parent;
        while (parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } or IAwaitOperation)
        {
            parent = LeaseOperations.Consumer(parent).Parent;
        }

        return parent switch
        {
            IPropertyReferenceOperation property => property.Property.Name,
            IInvocationOperation call => call.TargetMethod.Name + "()",
            _ => "member",
        };
    }
}
