using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using PoolGen.Analyzers.Usage.Flow;
using State = System.Collections.Immutable.ImmutableHashSet<PoolGen.Analyzers.Usage.Leaks.Holding>;

namespace PoolGen.Analyzers.Usage.Leaks;

/// <summary>
/// The leak analysis (POOL101) of one control flow graph: a forward "may hold" analysis whose facts are the lease locals
/// that hold an undisposed lease (<see cref="Holding"/>). An operation acquires (a lease-returning call assigned to a
/// local, a <c>TryRent</c> on its success branch), releases (dispose, return, <c>[TakesLease]</c>, store in a field or
/// property, a lambda or local function that disposes it) or overwrites (a local reassigned while it holds a lease
/// loses it).
/// </summary>
/// <remarks>
/// For POOL101 only regular flow is followed, plus explicit <c>throw</c>s: a catch handler starts from the explicit
/// throws in its try region, and from nothing else. A lease lost only because a call threw goes to POOL108 instead: the
/// driver follows each call that may throw out of the method, through the finally regions on its way, and whatever
/// lease is still held past the method's edge is reported there.
/// </remarks>
internal sealed class LeakAnalysis : FlowAnalysis<State>
{
    private readonly ControlFlowGraph _graph;
    private readonly Dictionary<CaptureId, ISymbol> _captures;
    private readonly HashSet<CaptureId> _acquiringCaptures;
    private readonly LeakReport _report;

    private LeakAnalysis(ControlFlowGraph graph, LeakReport report)
    {
        _graph = graph;
        _captures = LeaseOperations.Captures(graph);
        _acquiringCaptures = LeakOperations.AcquiringCaptures(graph);
        _report = report;
    }

    /// <inheritdoc/>
    public override State Entry => LeaseHoldings.Empty;

    /// <inheritdoc/>
    public override bool FollowsThrowingOperations => false;

    /// <summary>Analyzes <paramref name="graph"/> and the lambdas and local functions in it, each as a method of its own.</summary>
    public static void Analyze(ControlFlowGraph graph, ISymbol owner, LeakReport report, CancellationToken cancellationToken) =>
        FlowDriver<State>.Run(graph, owner, (function, _) => new LeakAnalysis(function, report), lambdasInBranchValues: true, cancellationToken);

    /// <inheritdoc/>
    public override State Join(State known, State incoming) => known.Union(incoming);

    // A union only grows, so the same size is the same set.
    /// <inheritdoc/>
    public override bool SameAs(State joined, State known) => joined.Count == known.Count;

    /// <inheritdoc/>
    public override bool HoldsNothing(State state) => state.IsEmpty;

    /// <inheritdoc/>
    public override State AfterFinallyNoPathLeaves(State entry) => LeaseHoldings.Empty;

    /// <inheritdoc/>
    public override void AtExit(State state) => _report.AtEnd(state);

    /// <inheritdoc/>
    public override void AtUncaughtThrow(State state) => _report.AtThrow(state);

    /// <summary>Exceptions from calls are followed for POOL108 only: POOL101 stays with the paths that run normally.</summary>
    public override bool FollowsUncaughtExceptions => true;

    /// <summary>
    /// A call that may throw, with leases held both before and after it: the rent itself (no lease yet if it throws)
    /// and a hand-over (the lease is gone after it) are not such calls. The holders are taken from after the call, so
    /// that <c>list.Add(lease)</c> counts the list among them, as the code that cleans up after it expects.
    /// </summary>
    public override State? ThrownFrom(IOperation operation, State before, State after)
    {
        var heldBefore = new HashSet<IOperation>(before.Where(h => h.Certain).Select(h => h.Acquisition));
        State held = heldBefore.Count == 0 ? LeaseHoldings.Empty : after.Where(h => h.Certain && heldBefore.Contains(h.Acquisition)).ToImmutableHashSet();
        return held.IsEmpty || LeakOperations.MayThrow(operation) is null ? null : held;
    }

    /// <summary>Reported at the rent, naming the call in <paramref name="operation"/> that may throw.</summary>
    public override void AtUncaughtException(IOperation operation, State state) =>
        _report.AtException(LeakOperations.MayThrow(operation) ?? operation, state);

    // 'return lease;': the caller owns it now (the method's result is a lease the caller must dispose); 'return (lease,
    // count);' hands on every lease in the tuple.
    /// <inheritdoc/>
    public override State Returns(IOperation returned, State state) => ReleaseAll(state, LeakOperations.LeaseLocals(returned, _captures));

    /// <summary>
    /// <c>TryRent</c> acquires on its true edge only; a branch on the <c>bool</c> a <c>TryRent</c> was stored in decides
    /// whether its lease is there; a null check of a lease local releases it on the edge where it is null (a null lease
    /// holds nothing).
    /// </summary>
    public override (State WhenTrue, State WhenFalse) Split(IOperation condition, State state)
    {
        bool negated = false;
        condition = LeaseOperations.Strip(condition);
        while (condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            negated = !negated;
            condition = LeaseOperations.Strip(not.Operand);
        }

        (State whenTrue, State whenFalse) = (state, state);
        if (condition is IInvocationOperation invocation && LeakOperations.TryRentTarget(invocation) is { } target)
        {
            whenTrue = Acquire(state, target, invocation);
        }
        else if (condition is ILocalReferenceOperation { Local: var guard } && LeaseHoldings.Guards(state, guard))
        {
            (whenTrue, whenFalse) = (LeaseHoldings.Decide(state, guard, true), LeaseHoldings.Decide(state, guard, false));
        }
        else if (LeakOperations.NullCheck(condition, _captures, out bool nullWhenTrue) is { } checkedLocal)
        {
            State released = LeaseHoldings.Release(state, checkedLocal);
            (whenTrue, whenFalse) = nullWhenTrue ? (released, state) : (state, released);
        }

        // 'if (!lease.IsActive) throw ...;': a lease that is not active holds no connection (it was never filled).
        else if (condition is IPropertyReferenceOperation { Property.Name: "IsActive", Instance: var instance } && Local(instance) is { } inactive)
        {
            whenFalse = LeaseHoldings.Release(state, inactive);
        }

        return negated ? (whenFalse, whenTrue) : (whenTrue, whenFalse);
    }

    /// <inheritdoc/>
    public override State Transfer(IOperation operation, State state)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation assignment:
                return Assign(assignment, state);

            // 'pool.TryRent(out var lease);' with its result ignored: the lease may be there, so it is held.
            case IExpressionStatementOperation { Operation: IInvocationOperation invocation } when LeakOperations.TryRentTarget(invocation) is { } target:
                return Acquire(state, target, invocation);

            case IInvocationOperation invocation:
                if (LeakOperations.Disposed(invocation, _captures) is { } disposed)
                {
                    return LeaseHoldings.Release(state, disposed);
                }

                // A local function that disposes a lease it captured disposes it when it is called.
                if (invocation.TargetMethod.MethodKind == MethodKind.LocalFunction && LocalFunctionGraph(invocation.TargetMethod) is { } function)
                {
                    return ReleaseAll(state, LeakOperations.DisposedIn(function));
                }

                // 'leases.Add(lease)': a local collection holds it too (see LeaseCollections); '_leases.Add(lease)': a
                // collection in a field or property holds it, which is its owner's responsibility, like a field's.
                if (LeaseCollections.AddsTo(invocation, out IOperation? added, out ILocalSymbol? collection))
                {
                    return collection is not null ? HoldAlso(state, collection, added!) : ReleaseAll(state, LeakOperations.LeaseLocals(added!, _captures));
                }

                return state;

            case ILocalReferenceOperation reference when !state.IsEmpty && LeaseCollections.IsCollectionOfLeases(reference.Local.Type)
                                                         && LeaseCollections.HandsOn(reference):
                return LeaseHoldings.Release(state, reference.Local);

            // 'map.TryGetValue(key, out found)': a flag written through an argument gets a value nobody knows.
            case IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref, Value: var written } when !state.IsEmpty
                && LeaseOperations.Reference(written) is ILocalReferenceOperation { Local: { Type.SpecialType: SpecialType.System_Boolean } flag }:
                return LeaseHoldings.Reassign(state, flag, null);

            case IArgumentOperation argument when Local(argument.Value) is { } taken && LeaseOperations.TakesLease(argument.Parameter):
                return LeaseHoldings.Release(state, taken);

            // A lambda that disposes a lease it captures takes the lease: when it runs is its business.
            case IFlowAnonymousFunctionOperation lambda:
                return ReleaseAll(state, LeakOperations.DisposedIn(_graph.GetAnonymousFunctionControlFlowGraph(lambda)));

            // So does a local function that disposes it, turned into a delegate ('return Release;').
            case IMethodReferenceOperation { Method.MethodKind: MethodKind.LocalFunction } reference when !state.IsEmpty
                                                                                                        && LocalFunctionGraph(reference.Method) is { } referenced:
                return ReleaseAll(state, LeakOperations.DisposedIn(referenced));

            // 'yield return lease;': the consumer owns it.
            case IReturnOperation { ReturnedValue: { } value } when Local(value) is { } yielded:
                return LeaseHoldings.Release(state, yielded);

            default:
                return state;
        }
    }

    private State Assign(ISimpleAssignmentOperation assignment, State state)
    {
        ILocalSymbol? target = LeaseOperations.Strip(assignment.Target) is ILocalReferenceOperation reference
                               && LeaseTypes.IsLease(reference.Local.Type)
            ? reference.Local
            : null;
        ILocalSymbol? source = Local(assignment.Value);

        if (target is null && LeaseOperations.Strip(assignment.Target) is ILocalReferenceOperation { Local: { Type.SpecialType: SpecialType.System_Boolean } flag })
        {
            // 'var ok = pool.TryRent(out var lease);': the lease is there if 'ok' is, which a later branch on 'ok' decides.
            // 'rented = true;' while a lease is held: a later 'if (rented) lease.Dispose();' is taken whenever it is held;
            // 'handedOver = false;' likewise for a later 'if (!handedOver) lease.Dispose();'.
            state = LeaseHoldings.Reassign(state, flag, LeaseOperations.Strip(assignment.Value).ConstantValue is { HasValue: true, Value: bool constant } ? constant : null);
            if (LeaseOperations.Strip(assignment.Value) is IInvocationOperation tryRent && LeakOperations.TryRentTarget(tryRent) is { } filled)
            {
                state = LeaseHoldings.Overwrite(state, filled, acquisition => _report.Overwritten(acquisition, filled));
                state = state.Add(new Holding(filled, tryRent, flag));
            }

            return state;
        }

        // 'leases[i] = lease': a local array holds it too.
        if (target is null && LeaseCollections.ElementOf(assignment.Target) is { } array)
        {
            return HoldAlso(state, array, assignment.Value);
        }

        if (target is null)
        {
            // A field, property, array element or out parameter now holds it: its owner's responsibility.
            // A tuple stored there ('_pair = (lease, name)') hands on every lease in it.
            bool stored = assignment.Target is not (ILocalReferenceOperation or IFlowCaptureReferenceOperation or IDiscardOperation);
            return stored ? ReleaseAll(state, LeakOperations.LeaseLocals(assignment.Value, _captures)) : state;
        }

        if (source is not null && SymbolEqualityComparer.Default.Equals(source, target))
        {
            return state;
        }

        var copied = new List<IOperation>(source is null ? new IOperation[0] : LeaseHoldings.HeldBy(state, source));
        state = LeaseHoldings.Overwrite(state, target, acquisition => _report.Overwritten(acquisition, target));
        if (LeakOperations.Acquisition(assignment.Value) is { } acquired)
        {
            copied.Add(acquired);
        }
        else if (LeaseOperations.Strip(assignment.Value) is IFlowCaptureReferenceOperation capture && _acquiringCaptures.Contains(capture.Id))
        {
            copied.Add(capture); // reported at the whole conditional or switch expression
        }

        foreach (IOperation acquisition in copied)
        {
            state = state.Add(new Holding(target, acquisition));
        }

        return state;
    }

    // 'holder' now holds whatever 'value' is: the leases of a lease local (as a copy), or a fresh rent.
    private State HoldAlso(State state, ILocalSymbol holder, IOperation value)
    {
        if (Local(value) is { } source)
        {
            foreach (IOperation acquisition in LeaseHoldings.HeldBy(state, source).ToList())
            {
                state = state.Add(new Holding(holder, acquisition));
            }

            return state;
        }

        return LeakOperations.Acquisition(value) is { } acquired ? state.Add(new Holding(holder, acquired)) : state;
    }

    private State Acquire(State state, ILocalSymbol target, IOperation acquisition)
    {
        state = LeaseHoldings.Overwrite(state, target, lost => _report.Overwritten(lost, target));
        return state.Add(new Holding(target, acquisition));
    }

    private static State ReleaseAll(State state, IEnumerable<ILocalSymbol> locals)
    {
        foreach (ILocalSymbol local in locals)
        {
            state = LeaseHoldings.Release(state, local);
        }

        return state;
    }

    private ControlFlowGraph? LocalFunctionGraph(IMethodSymbol function) => LeakOperations.LocalFunctionGraph(_graph, function);

    private ILocalSymbol? Local(IOperation? operation) => LeakOperations.Local(operation, _captures);
}
