using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using State = System.Collections.Immutable.ImmutableHashSet<PoolGen.Analyzers.Usage.Leaks.Holding>;

namespace PoolGen.Analyzers.Usage.Leaks;

/// <summary>
/// The leak dataflow over one control flow graph: a forward "may hold" analysis whose facts are the lease locals that
/// hold an undisposed lease (<see cref="Holding"/>). Only regular flow is followed, plus explicit <c>throw</c>s:
/// a lease lost only because a call threw is not reported.
/// </summary>
/// <remarks>
/// Finally regions are not successors of anything in Roslyn's graph: a branch lists the finally regions it runs
/// (<see cref="ControlFlowBranch.FinallyRegions"/>), so each such branch runs the finally on its own state. Running it
/// per branch, rather than merging every path into the finally, keeps a return that hands the lease on apart from
/// the path that still has to dispose it. Exceptions thrown by calls are not followed, so a catch handler starts from
/// the explicit throws in its try region (after the finally regions between them and the catch), and from nothing else.
/// </remarks>
internal sealed class LeaseFlow
{
    private readonly ControlFlowGraph _graph;
    private readonly Dictionary<CaptureId, ILocalSymbol> _captures;
    private readonly LeakReport _report;
    private readonly LeaseTransfer _transfer;
    private readonly CancellationToken _cancellationToken;

    private LeaseFlow(ControlFlowGraph graph, LeakReport report, CancellationToken cancellationToken)
    {
        _graph = graph;
        _captures = LeaseOperations.Captures(graph);
        _report = report;
        _transfer = new LeaseTransfer(graph, _captures, report);
        _cancellationToken = cancellationToken;
    }

    /// <summary>Analyzes <paramref name="graph"/> and the lambdas and local functions in it, each as a method of its own.</summary>
    public static void Analyze(ControlFlowGraph graph, LeakReport report, CancellationToken cancellationToken)
    {
        var flow = new LeaseFlow(graph, report, cancellationToken);
        flow.Run(0, graph.Blocks.Length - 1, LeaseHoldings.Empty);

        foreach (BasicBlock block in graph.Blocks)
        {
            foreach (IOperation root in LeaseOperations.Roots(block))
            {
                foreach (IOperation operation in root.DescendantsAndSelf())
                {
                    if (operation is IFlowAnonymousFunctionOperation lambda)
                    {
                        Analyze(graph.GetAnonymousFunctionControlFlowGraph(lambda, cancellationToken), report, cancellationToken);
                    }
                }
            }
        }

        foreach (IMethodSymbol function in graph.LocalFunctions)
        {
            Analyze(graph.GetLocalFunctionControlFlowGraph(function, cancellationToken), report, cancellationToken);
        }
    }

    // Runs the blocks first..last from the first, and returns the union of the states that leave the range at the end
    // of a finally region (the result when the range is a finally region).
    private State Run(int first, int last, State entry)
    {
        var input = new State?[last - first + 1];
        var pending = new SortedSet<int> { first };
        input[0] = entry;
        State leaving = LeaseHoldings.Empty;

        while (pending.Count > 0)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            int ordinal = pending.Min;
            pending.Remove(ordinal);
            BasicBlock block = _graph.Blocks[ordinal];
            State before = input[ordinal - first]!;

            if (block.Kind == BasicBlockKind.Exit)
            {
                _report.AtEnd(before);
                continue;
            }

            State after = _transfer.Apply(block, before);

            if (block.ConditionalSuccessor is { } conditional && block.BranchValue is { } condition)
            {
                (State whenTrue, State whenFalse) = _transfer.Split(condition, after);
                bool jumpsWhenTrue = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
                Follow(block, conditional, jumpsWhenTrue ? whenTrue : whenFalse);
                Follow(block, block.FallThroughSuccessor, jumpsWhenTrue ? whenFalse : whenTrue);
            }
            else
            {
                Follow(block, block.FallThroughSuccessor, after);
            }
        }

        return leaving;

        void Merge(int ordinal, State state)
        {
            if (ordinal < first || ordinal > last)
            {
                return;
            }

            State? known = input[ordinal - first];
            State merged = known is null ? state : known.Union(state);
            if (known is null || merged.Count != known.Count)
            {
                input[ordinal - first] = merged;
                pending.Add(ordinal);
            }
        }

        void Follow(BasicBlock from, ControlFlowBranch? branch, State state)
        {
            if (branch is null)
            {
                return;
            }

            foreach (ControlFlowRegion @finally in branch.FinallyRegions)
            {
                state = RunFinally(@finally, state);
            }

            switch (branch.Semantics)
            {
                case ControlFlowBranchSemantics.Regular or ControlFlowBranchSemantics.Return when branch.Destination is { } destination:
                    if (destination.Ordinal < first || destination.Ordinal > last)
                    {
                        leaving = leaving.Union(state);
                    }
                    else
                    {
                        Merge(destination.Ordinal, state);
                    }

                    break;
                case ControlFlowBranchSemantics.StructuredExceptionHandling:
                    leaving = leaving.Union(state);
                    break;
                case ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow:
                    Throw(from, state, Merge);
                    break;
            }
        }
    }

    private State RunFinally(ControlFlowRegion @finally, State state) =>
        state.IsEmpty ? state : Run(@finally.FirstBlockOrdinal, @finally.LastBlockOrdinal, state);

    // An explicit throw: the finally regions around it run, and what they leave held is lost, unless a catch around it
    // may take the exception: then its handlers start from that state.
    private void Throw(BasicBlock from, State state, System.Action<int, State> merge)
    {
        for (ControlFlowRegion? region = from.EnclosingRegion; region is not null && !state.IsEmpty; region = region.EnclosingRegion)
        {
            if (region.Kind != ControlFlowRegionKind.Try || region.EnclosingRegion is not { } tryRegion)
            {
                continue;
            }

            if (tryRegion.Kind == ControlFlowRegionKind.TryAndCatch)
            {
                for (int i = 1; i < tryRegion.NestedRegions.Length; i++)
                {
                    merge(tryRegion.NestedRegions[i].FirstBlockOrdinal, state);
                }

                return;
            }

            if (tryRegion.Kind == ControlFlowRegionKind.TryAndFinally)
            {
                state = RunFinally(tryRegion.NestedRegions[1], state);
            }
        }

        _report.AtThrow(state);
    }
}
