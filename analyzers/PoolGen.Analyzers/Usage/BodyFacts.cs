using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using PoolGen.Analyzers.Usage.Leaks;

namespace PoolGen.Analyzers.Usage;

/// <summary>
/// What one body does with leases, found in one walk and shared by the analyzers that look at bodies: most bodies
/// mention no lease, and each of them then costs one walk instead of one per analyzer; most bodies that rent do it in a
/// <c>using</c>, and the flow analyses can find nothing in those, so they are spared the control flow graph too.
/// </summary>
/// <remarks>
/// The compiler hands every analyzer the same operation tree of a body, so the facts are kept per body (weakly: they
/// go with the tree). An analyzer that got another tree would only walk it again.
/// </remarks>
internal sealed class BodyFacts
{
    private static readonly ConditionalWeakTable<IOperation, BodyFacts> s_facts = new();
    private static readonly ConditionalWeakTable<IOperation, BodyFacts>.CreateValueCallback s_find = Find;

    private bool _rentsOutsideUsing;
    private bool _readsLeaseVariable;
    private bool _disposesOrReturns;
    private bool _keepsConnection;

    private BodyFacts()
    {
    }

    /// <summary>
    /// Whether the leak analysis (POOL101, POOL108) may find something: some call returns a lease or a task of one, or
    /// rents one out through an <c>out</c> argument, other than as the resource of a <c>using</c>, which disposes it
    /// on every path, exceptions included.
    /// </summary>
    public bool NeedsLeakFlow => _rentsOutsideUsing;

    /// <summary>
    /// Whether the disposal analysis (POOL103, POOL104) may find something: the body reads a lease local or parameter
    /// and disposes a lease other than through a using declaration (a <c>Dispose()</c>, <c>using (lease)</c>, a
    /// <c>[TakesLease]</c> argument, a local function), returns a lease, or keeps a lease's connection in a local.
    /// Without any of those, every lease is disposed once, where its scope ends, after its last use.
    /// </summary>
    public bool NeedsDisposalFlow => _readsLeaseVariable && (_disposesOrReturns || _keepsConnection);

    /// <summary>Whether the body reads the <c>Connection</c> of a lease.</summary>
    public bool ReadsConnection { get; private set; }

    /// <summary>The facts of <paramref name="body"/>, found on the first request.</summary>
    public static BodyFacts Of(IOperation body) => s_facts.GetValue(body, s_find);

    private static BodyFacts Find(IOperation body)
    {
        var facts = new BodyFacts();
        foreach (IOperation operation in body.Descendants())
        {
            facts.Note(operation);
        }

        return facts;
    }

    private void Note(IOperation operation)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                if (!_rentsOutsideUsing && LeakOperations.Rents(invocation))
                {
                    _rentsOutsideUsing = !IsUsingResource(invocation);
                }

                // A local function may dispose a lease it captured; which one is the analysis's business.
                _disposesOrReturns |= invocation.TargetMethod.MethodKind == MethodKind.LocalFunction
                                      || LeaseOperations.IsDispose(invocation.TargetMethod) && invocation.Instance is { } disposed
                                         && LeaseTypes.IsLease(LeaseOperations.Strip(disposed).Type);
                break;

            case ILocalReferenceOperation local when !_readsLeaseVariable:
                _readsLeaseVariable = LeaseTypes.IsLease(local.Local.Type);
                break;

            case IParameterReferenceOperation parameter when !_readsLeaseVariable:
                _readsLeaseVariable = LeaseTypes.IsLease(parameter.Parameter.Type);
                break;

            // 'using (lease) { ... }': a using of a variable that may be used, or disposed, elsewhere.
            case IUsingOperation { Resources: var resources } when LeaseOperations.Strip(resources) is ILocalReferenceOperation or IParameterReferenceOperation
                                                                   && LeaseTypes.IsLease(LeaseOperations.Strip(resources).Type):
                _disposesOrReturns = true;
                break;

            // 'var copy = lease;', 'using var copy = lease;': a copy, which may be disposed apart from the original.
            case IVariableInitializerOperation { Value: var copied } when LeaseOperations.Strip(copied) is ILocalReferenceOperation or IParameterReferenceOperation
                                                                          && LeaseTypes.IsLease(LeaseOperations.Strip(copied).Type):
                _disposesOrReturns = true;
                break;

            case IArgumentOperation { Value: var value } argument when !_disposesOrReturns && LeaseTypes.IsLease(LeaseOperations.Strip(value).Type):
                _disposesOrReturns = LeaseOperations.TakesLease(argument.Parameter);
                break;

            case IReturnOperation { ReturnedValue: { } returned } when LeaseTypes.IsLease(LeaseOperations.Strip(returned).Type):
                _disposesOrReturns = true;
                break;

            case IPropertyReferenceOperation { Property.Name: "Connection", Instance: { } instance } read when LeaseTypes.IsLease(instance.Type):
                ReadsConnection = true;
                _keepsConnection |= LeaseOperations.Consumer(read).Parent is IVariableInitializerOperation or ISimpleAssignmentOperation;
                break;
        }
    }

    // 'using var lease = pool.Rent();', 'await using (var lease = await pool.RentAsync().ConfigureAwait(false))',
    // 'using (pool.Rent())': a rent whose lease the using disposes on every way out.
    private static bool IsUsingResource(IInvocationOperation rent)
    {
        (IOperation? parent, IOperation child) = LeaseOperations.Consumer(rent);
        while (parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure && configure.Instance == child)
        {
            (parent, child) = LeaseOperations.Consumer(configure);
        }

        if (parent is IAwaitOperation awaited)
        {
            (parent, child) = LeaseOperations.Consumer(awaited);
        }

        return parent switch
        {
            IUsingOperation @using => @using.Resources == child,
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Parent.Parent: { } group } } =>
                group.Parent is IUsingDeclarationOperation || group.Parent is IUsingOperation { Resources: var resources } && resources == group,
            _ => false,
        };
    }
}
