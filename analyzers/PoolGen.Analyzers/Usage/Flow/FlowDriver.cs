using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PoolGen.Analyzers.Usage.Flow;

/// <summary>
/// Runs one <see cref="FlowAnalysis{TState}"/> forward over a control flow graph to a fixed point: a worklist of blocks
/// in graph order, the state each block starts from, joins where paths meet, finally regions and exception edges.
/// </summary>
/// <remarks>
/// Finally regions are not successors of anything in Roslyn's graph: a branch lists the finally regions it runs
/// (<see cref="ControlFlowBranch.FinallyRegions"/>), so each such branch runs them on its own state. Running them per
/// branch, rather than merging every path into the finally, keeps a <c>return lease;</c> that hands the lease on apart
/// from the path that still has to dispose it. An explicit <c>throw</c> runs the finally regions between it and the
/// nearest catch, whose handlers then start from what is left; an analysis that
/// <see cref="FlowAnalysis{TState}.FollowsThrowingOperations">follows throwing operations</see> also starts them from
/// the state before each operation of their try region. An analysis that
/// <see cref="FlowAnalysis{TState}.FollowsUncaughtExceptions">follows uncaught exceptions</see> is shown, for each
/// operation that it says may throw, what such an exception carries out of the method once the finally regions on its
/// way have run.
/// </remarks>
internal sealed class FlowDriver<TState>
    where TState : class
{
    private readonly ControlFlowGraph _graph;
    private readonly FlowAnalysis<TState> _analysis;
    private readonly CancellationToken _cancellationToken;

    private FlowDriver(ControlFlowGraph graph, FlowAnalysis<TState> analysis, CancellationToken cancellationToken)
    {
        _graph = graph;
        _analysis = analysis;
        _cancellationToken = cancellationToken;
    }

    /// <summary>
    /// Runs the analysis that <paramref name="analysisOf"/> makes for a graph and the function it belongs to over
    /// <paramref name="graph"/>, then over each lambda and local function in it, each as a method of its own.
    /// </summary>
    /// <param name="lambdasInBranchValues">
    /// Whether lambdas in a block's branch value (a returned lambda, one in a condition) are analyzed too, or only those
    /// in its operations. The leak analysis has always looked there and the disposal analysis has not; one setting for
    /// both would change what one of them reports.
    /// </param>
    public static void Run(
        ControlFlowGraph graph, ISymbol owner, Func<ControlFlowGraph, ISymbol, FlowAnalysis<TState>> analysisOf,
        bool lambdasInBranchValues, CancellationToken cancellationToken)
    {
        FlowAnalysis<TState> analysis = analysisOf(graph, owner);
        new Pass(new FlowDriver<TState>(graph, analysis, cancellationToken), 0, graph.Blocks.Length - 1).Run(analysis.Entry);

        foreach (BasicBlock block in graph.Blocks)
        {
            foreach (IOperation root in lambdasInBranchValues ? LeaseOperations.Roots(block) : block.Operations)
            {
                foreach (IOperation operation in root.DescendantsAndSelf())
                {
                    if (operation is IFlowAnonymousFunctionOperation lambda)
                    {
                        Run(graph.GetAnonymousFunctionControlFlowGraph(lambda, cancellationToken), lambda.Symbol, analysisOf,
                            lambdasInBranchValues, cancellationToken);
                    }
                }
            }
        }

        foreach (IMethodSymbol function in graph.LocalFunctions)
        {
            Run(graph.GetLocalFunctionControlFlowGraph(function, cancellationToken), function, analysisOf, lambdasInBranchValues,
                cancellationToken);
        }
    }

    // The state after a finally region that one branch runs.
    private TState RunFinally(ControlFlowRegion @finally, TState state) =>
        _analysis.HoldsNothing(state)
            ? state
            : new Pass(this, @finally.FirstBlockOrdinal, @finally.LastBlockOrdinal).Run(state) ?? _analysis.AfterFinallyNoPathLeaves(state);

    private TState Visit(IOperation operation, TState state)
    {
        foreach (IOperation child in operation.ChildOperations)
        {
            state = Visit(child, state);
        }

        return _analysis.Transfer(operation, state);
    }

    private static bool InTryWithCatch(BasicBlock block)
    {
        for (ControlFlowRegion? region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
        {
            if (region.Kind == ControlFlowRegionKind.Try && region.EnclosingRegion is { Kind: ControlFlowRegionKind.TryAndCatch })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One run over a range of blocks: the whole graph, or a finally region for one branch through it.</summary>
    private sealed class Pass
    {
        private readonly FlowDriver<TState> _driver;
        private readonly FlowAnalysis<TState> _analysis;
        private readonly int _first;
        private readonly int _last;
        private readonly TState?[] _input;
        private readonly SortedSet<int> _pending = new();
        private TState? _leaving;

        public Pass(FlowDriver<TState> driver, int first, int last)
        {
            _driver = driver;
            _analysis = driver._analysis;
            _first = first;
            _last = last;
            _input = new TState?[last - first + 1];
        }

        /// <summary>Runs the range from its first block; returns the join of the states that leave it, if any do.</summary>
        public TState? Run(TState entry)
        {
            _input[0] = entry;
            _pending.Add(_first);

            // Lowest ordinal first: blocks come in graph order, so most blocks run once their predecessors are known.
            while (_pending.Count > 0)
            {
                _driver._cancellationToken.ThrowIfCancellationRequested();
                int ordinal = _pending.Min;
                _pending.Remove(ordinal);
                BasicBlock block = _driver._graph.Blocks[ordinal];
                TState before = _input[ordinal - _first]!;

                if (block.Kind == BasicBlockKind.Exit)
                {
                    _analysis.AtExit(before);
                    continue;
                }

                TState after = Transfer(block, before);
                if (block.ConditionalSuccessor is { } conditional && block.BranchValue is { } condition)
                {
                    (TState whenTrue, TState whenFalse) = _analysis.Split(condition, after);
                    bool jumpsWhenTrue = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
                    Follow(block, conditional, jumpsWhenTrue ? whenTrue : whenFalse);
                    Follow(block, block.FallThroughSuccessor, jumpsWhenTrue ? whenFalse : whenTrue);
                }
                else
                {
                    Follow(block, block.FallThroughSuccessor, after);
                }
            }

            return _leaving;
        }

        private TState Transfer(BasicBlock block, TState state)
        {
            bool mayThrow = _analysis.FollowsThrowingOperations && InTryWithCatch(block);
            bool followsExceptions = _analysis.FollowsUncaughtExceptions;
            foreach (IOperation operation in block.Operations)
            {
                if (mayThrow)
                {
                    EnterCatches(block, state);
                }

                TState after = _driver.Visit(operation, state);
                if (followsExceptions)
                {
                    ThrowFrom(block, operation, state, after);
                }

                state = after;
            }

            if (block.BranchValue is { } value)
            {
                TState after = _driver.Visit(value, state);

                // What a return hands on is gone by the time a call in the returned expression may throw: the value
                // returned is the thing being built ('return Task.FromResult(lease);').
                if (block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return)
                {
                    after = _analysis.Returns(value, after);
                }

                if (followsExceptions)
                {
                    ThrowFrom(block, value, state, after);
                }

                state = after;
            }

            return state;
        }

        private void Follow(BasicBlock from, ControlFlowBranch? branch, TState state)
        {
            if (branch is null)
            {
                return;
            }

            TState beforeFinally = state;
            foreach (ControlFlowRegion @finally in branch.FinallyRegions)
            {
                state = _driver.RunFinally(@finally, state);
            }

            if (branch.Semantics == ControlFlowBranchSemantics.Return && !branch.FinallyRegions.IsEmpty && from.BranchValue is { } returned)
            {
                _analysis.ReturnsThroughFinally(returned, beforeFinally, state);
            }

            switch (branch.Semantics)
            {
                case ControlFlowBranchSemantics.Regular or ControlFlowBranchSemantics.Return when branch.Destination is { } destination:
                    if (InRange(destination.Ordinal))
                    {
                        Merge(destination.Ordinal, state);
                    }
                    else
                    {
                        Leave(state);
                    }

                    break;
                case ControlFlowBranchSemantics.StructuredExceptionHandling:
                    Leave(state);
                    break;
                case ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow:
                    Throw(from, state);
                    break;
            }
        }

        // An explicit throw: the finally regions between it and the nearest catch run, then the catch's handlers may start.
        private void Throw(BasicBlock from, TState state)
        {
            for (ControlFlowRegion? region = from.EnclosingRegion; region is not null && !_analysis.HoldsNothing(state); region = region.EnclosingRegion)
            {
                if (region.Kind != ControlFlowRegionKind.Try || region.EnclosingRegion is not { } tryRegion)
                {
                    continue;
                }

                if (tryRegion.Kind == ControlFlowRegionKind.TryAndCatch)
                {
                    EnterHandlers(tryRegion, state);
                    return;
                }

                if (tryRegion.Kind == ControlFlowRegionKind.TryAndFinally)
                {
                    state = _driver.RunFinally(tryRegion.NestedRegions[1], state);
                }
            }

            _analysis.AtUncaughtThrow(state);
        }

        // An exception from an operation: the finally regions between it and the nearest catch run; past the method's
        // edge, the analysis sees what is left. One that meets a catch is left to it (see AtUncaughtException).
        private void ThrowFrom(BasicBlock from, IOperation operation, TState before, TState after)
        {
            if (_analysis.HoldsNothing(before) || _analysis.ThrownFrom(operation, before, after) is not { } state)
            {
                return;
            }

            for (ControlFlowRegion? region = from.EnclosingRegion; region is not null && !_analysis.HoldsNothing(state); region = region.EnclosingRegion)
            {
                if (region.Kind != ControlFlowRegionKind.Try || region.EnclosingRegion is not { } tryRegion)
                {
                    continue;
                }

                if (tryRegion.Kind == ControlFlowRegionKind.TryAndCatch)
                {
                    return;
                }

                if (tryRegion.Kind == ControlFlowRegionKind.TryAndFinally)
                {
                    state = _driver.RunFinally(tryRegion.NestedRegions[1], state);
                }
            }

            if (!_analysis.HoldsNothing(state))
            {
                _analysis.AtUncaughtException(operation, state);
            }
        }

        // An operation of the block may throw: the handlers of every try region around it may start from its state.
        private void EnterCatches(BasicBlock block, TState state)
        {
            for (ControlFlowRegion? region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
            {
                if (region.Kind == ControlFlowRegionKind.Try && region.EnclosingRegion is { Kind: ControlFlowRegionKind.TryAndCatch } tryAndCatch)
                {
                    EnterHandlers(tryAndCatch, state);
                }
            }
        }

        private void EnterHandlers(ControlFlowRegion tryAndCatch, TState state)
        {
            for (int i = 1; i < tryAndCatch.NestedRegions.Length; i++)
            {
                Merge(tryAndCatch.NestedRegions[i].FirstBlockOrdinal, state);
            }
        }

        // A block outside the range (a handler around a finally region) is not this pass's to run.
        private void Merge(int ordinal, TState state)
        {
            if (!InRange(ordinal))
            {
                return;
            }

            TState? known = _input[ordinal - _first];
            TState merged = known is null ? state : _analysis.Join(known, state);
            if (known is null || !_analysis.SameAs(merged, known))
            {
                _input[ordinal - _first] = merged;
                _pending.Add(ordinal);
            }
        }

        private void Leave(TState state) => _leaving = _leaving is null ? state : _analysis.Join(_leaving, state);

        private bool InRange(int ordinal) => ordinal >= _first && ordinal <= _last;
    }
}
