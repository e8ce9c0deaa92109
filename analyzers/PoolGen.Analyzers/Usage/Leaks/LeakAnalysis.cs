using System.Collections.Generic;
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
/// Only regular flow is followed, plus explicit <c>throw</c>s: a lease lost only because a call threw is not reported,
/// so a catch handler starts from the explicit throws in its try region, and from nothing else.
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

    // 'return lease;': the caller owns it now (the method's result is a lease the caller must dispose).
    /// <inheritdoc/>
    public override State Returns(IOperation returned, State state) =>
        Local(returned) is { } local ? LeaseHoldings.Release(state, local) : state;

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
        else if (NullCheck(condition, out bool nullWhenTrue) is { } checkedLocal)
        {
            State released = LeaseHoldings.Release(state, checkedLocal);
            (whenTrue, whenFalse) = nullWhenTrue ? (released, state) : (state, released);
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

                return state;

            case IArgumentOperation argument when LeaseOperations.TakesLease(argument.Parameter)
                                                  && Local(argument.Value) is { } taken:
                return LeaseHoldings.Release(state, taken);

            // A lambda that disposes a lease it captures takes the lease: when it runs is its business.
            case IFlowAnonymousFunctionOperation lambda:
                return ReleaseAll(state, LeakOperations.DisposedIn(_graph.GetAnonymousFunctionControlFlowGraph(lambda)));

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
            state = LeaseHoldings.Decide(state, flag, false);
            if (LeaseOperations.Strip(assignment.Value) is IInvocationOperation tryRent && LeakOperations.TryRentTarget(tryRent) is { } filled)
            {
                state = LeaseHoldings.Overwrite(state, filled, acquisition => _report.Overwritten(acquisition, filled));
                state = state.Add(new Holding(filled, tryRent, flag));
            }

            return state;
        }

        if (target is null)
        {
            // A field, property, array element or out parameter now holds it: its owner's responsibility.
            bool stored = assignment.Target is not (ILocalReferenceOperation or IFlowCaptureReferenceOperation or IDiscardOperation);
            return stored && source is not null ? LeaseHoldings.Release(state, source) : state;
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

    private State Acquire(State state, ILocalSymbol target, IOperation acquisition)
    {
        state = LeaseHoldings.Overwrite(state, target, lost => _report.Overwritten(lost, target));
        return state.Add(new Holding(target, acquisition));
    }

    private static State ReleaseAll(State state, HashSet<ILocalSymbol> locals)
    {
        foreach (ILocalSymbol local in locals)
        {
            state = LeaseHoldings.Release(state, local);
        }

        return state;
    }

    private ControlFlowGraph? LocalFunctionGraph(IMethodSymbol function)
    {
        for (ControlFlowGraph? graph = _graph; graph is not null; graph = graph.Parent)
        {
            foreach (IMethodSymbol candidate in graph.LocalFunctions)
            {
                if (SymbolEqualityComparer.Default.Equals(candidate, function.OriginalDefinition))
                {
                    return graph.GetLocalFunctionControlFlowGraph(candidate);
                }
            }
        }

        return null;
    }

    // 'lease == null', 'lease != null', 'lease is null', 'lease is not null' and the compiler's own null check of a using.
    private ILocalSymbol? NullCheck(IOperation condition, out bool nullWhenTrue)
    {
        nullWhenTrue = true;
        switch (condition)
        {
            case IIsNullOperation isNull:
                return Local(isNull.Operand);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                nullWhenTrue = binary.OperatorKind == BinaryOperatorKind.Equals;
                return LeaseOperations.IsNull(binary.RightOperand) ? Local(binary.LeftOperand)
                    : LeaseOperations.IsNull(binary.LeftOperand) ? Local(binary.RightOperand)
                    : null;
            case IIsPatternOperation { Pattern: IConstantPatternOperation { Value: var constant } } pattern when LeaseOperations.IsNull(constant):
                return Local(pattern.Value);
            case IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IConstantPatternOperation { Value: var negatedConstant } } } negated
                when LeaseOperations.IsNull(negatedConstant):
                nullWhenTrue = false;
                return Local(negated.Value);
            default:
                return null;
        }
    }

    private ILocalSymbol? Local(IOperation? operation) => LeakOperations.Local(operation, _captures);
}
