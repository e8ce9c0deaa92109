using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using State = System.Collections.Immutable.ImmutableHashSet<PoolGen.Analyzers.Usage.Leaks.Holding>;

namespace PoolGen.Analyzers.Usage.Leaks;

/// <summary>
/// What one basic block does to the leases its locals hold: acquire (a lease-returning call assigned to a local, a
/// <c>TryRent</c> on its success branch), release (dispose, return, <c>[TakesLease]</c>, store in a field or property,
/// a lambda or local function that disposes it), overwrite (a local reassigned while it holds a lease loses it).
/// </summary>
internal sealed class LeaseTransfer
{
    private readonly ControlFlowGraph _graph;
    private readonly IReadOnlyDictionary<CaptureId, ILocalSymbol> _captures;
    private readonly HashSet<CaptureId> _acquiringCaptures;
    private readonly LeakReport _report;

    public LeaseTransfer(ControlFlowGraph graph, IReadOnlyDictionary<CaptureId, ILocalSymbol> captures, LeakReport report)
    {
        _graph = graph;
        _captures = captures;
        _acquiringCaptures = LeaseOperations.AcquiringCaptures(graph);
        _report = report;
    }

    /// <summary>The state after the block's operations and its branch value, before any conditional split.</summary>
    public State Apply(BasicBlock block, State state)
    {
        foreach (IOperation operation in block.Operations)
        {
            state = Visit(operation, state);

            // 'pool.TryRent(out var lease);' with its result ignored: the lease may be there, so it is held.
            if (operation is IExpressionStatementOperation { Operation: IInvocationOperation invocation }
                && LeaseOperations.TryRentTarget(invocation) is { } target)
            {
                state = Acquire(state, target, invocation);
            }
        }

        if (block.BranchValue is { } value)
        {
            state = Visit(value, state);

            // 'return lease;': the caller owns it now (the method's result is a lease the caller must dispose).
            if (block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return
                && LeaseOperations.Local(value, _captures) is { } returned)
            {
                state = LeaseHoldings.Release(state, returned);
            }
        }

        return state;
    }

    /// <summary>
    /// The states on the true and false edges of a condition: <c>TryRent</c> acquires on its true edge only; a null check
    /// of a lease local releases it on the edge where it is null (a null lease holds nothing).
    /// </summary>
    public (State WhenTrue, State WhenFalse) Split(IOperation condition, State state)
    {
        bool negated = false;
        condition = LeaseOperations.Strip(condition);
        while (condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            negated = !negated;
            condition = LeaseOperations.Strip(not.Operand);
        }

        (State whenTrue, State whenFalse) = (state, state);
        if (condition is IInvocationOperation invocation && LeaseOperations.TryRentTarget(invocation) is { } target)
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

    // Children before parents, as they are evaluated.
    private State Visit(IOperation operation, State state)
    {
        foreach (IOperation child in operation.ChildOperations)
        {
            state = Visit(child, state);
        }

        switch (operation)
        {
            case ISimpleAssignmentOperation assignment:
                return Assign(assignment, state);

            case IInvocationOperation invocation:
                if (LeaseOperations.Disposed(invocation, _captures) is { } disposed)
                {
                    return LeaseHoldings.Release(state, disposed);
                }

                // A local function that disposes a lease it captured disposes it when it is called.
                if (invocation.TargetMethod.MethodKind == MethodKind.LocalFunction && LocalFunctionGraph(invocation.TargetMethod) is { } function)
                {
                    return ReleaseAll(state, LeaseOperations.DisposedIn(function));
                }

                return state;

            case IArgumentOperation argument when LeaseOperations.TakesLease(argument.Parameter)
                                                  && LeaseOperations.Local(argument.Value, _captures) is { } taken:
                return LeaseHoldings.Release(state, taken);

            // A lambda that disposes a lease it captures takes the lease: when it runs is its business.
            case IFlowAnonymousFunctionOperation lambda:
                return ReleaseAll(state, LeaseOperations.DisposedIn(_graph.GetAnonymousFunctionControlFlowGraph(lambda)));

            // 'yield return lease;': the consumer owns it.
            case IReturnOperation { ReturnedValue: { } value } when LeaseOperations.Local(value, _captures) is { } yielded:
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
        ILocalSymbol? source = LeaseOperations.Local(assignment.Value, _captures);

        if (target is null && LeaseOperations.Strip(assignment.Target) is ILocalReferenceOperation { Local: { Type.SpecialType: SpecialType.System_Boolean } flag })
        {
            // 'var ok = pool.TryRent(out var lease);': the lease is there if 'ok' is, which a later branch on 'ok' decides.
            state = LeaseHoldings.Decide(state, flag, false);
            if (LeaseOperations.Strip(assignment.Value) is IInvocationOperation tryRent && LeaseOperations.TryRentTarget(tryRent) is { } filled)
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
        if (LeaseOperations.Acquisition(assignment.Value) is { } acquired)
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
                return LeaseOperations.Local(isNull.Operand, _captures);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                nullWhenTrue = binary.OperatorKind == BinaryOperatorKind.Equals;
                return IsNull(binary.RightOperand) ? LeaseOperations.Local(binary.LeftOperand, _captures)
                    : IsNull(binary.LeftOperand) ? LeaseOperations.Local(binary.RightOperand, _captures)
                    : null;
            case IIsPatternOperation { Pattern: IConstantPatternOperation { Value: var constant } } pattern when IsNull(constant):
                return LeaseOperations.Local(pattern.Value, _captures);
            case IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IConstantPatternOperation { Value: var negatedConstant } } } negated
                when IsNull(negatedConstant):
                nullWhenTrue = false;
                return LeaseOperations.Local(negated.Value, _captures);
            default:
                return null;
        }
    }

    private static bool IsNull(IOperation operation) =>
        LeaseOperations.Strip(operation).ConstantValue is { HasValue: true, Value: null };
}
