using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PoolGen.Analyzers.Usage.Disposal;

/// <summary>
/// The disposal dataflow over one control flow graph (POOL103, POOL104): a forward analysis of which lease values are
/// disposed at each point, see <see cref="DisposalState"/>. What each operation does is <see cref="DisposalTransfer"/>'s.
/// </summary>
/// <remarks>
/// Finally regions run per branch, as in the leak analysis: a branch lists the finally regions it leaves through, so
/// <c>return lease;</c> out of a <c>using</c> is seen returning a lease its finally then disposes. A catch handler starts
/// from every state its try region may throw from: before each operation of its blocks and at each explicit <c>throw</c>, so a
/// lease disposed part way through the try is disposed "on some path" in the handler.
/// </remarks>
internal sealed class DisposalFlow
{
    private readonly ControlFlowGraph _graph;
    private readonly DisposalTransfer _transfer;
    private readonly CancellationToken _cancellationToken;

    private DisposalFlow(ControlFlowGraph graph, DisposalReport report, CancellationToken cancellationToken)
    {
        _graph = graph;
        _transfer = new DisposalTransfer(graph, report);
        _cancellationToken = cancellationToken;
    }

    /// <summary>Analyzes <paramref name="graph"/> and the lambdas and local functions in it, each as a method of its own.</summary>
    public static void Analyze(ControlFlowGraph graph, ISymbol owner, DisposalReport report, CancellationToken cancellationToken)
    {
        var flow = new DisposalFlow(graph, report, cancellationToken);
        flow.Run(0, graph.Blocks.Length - 1, DisposalTransfer.Entry(owner));

        foreach (BasicBlock block in graph.Blocks)
        {
            foreach (IOperation operation in block.Operations)
            {
                foreach (IOperation descendant in operation.DescendantsAndSelf())
                {
                    if (descendant is IFlowAnonymousFunctionOperation lambda)
                    {
                        Analyze(graph.GetAnonymousFunctionControlFlowGraph(lambda, cancellationToken), lambda.Symbol, report, cancellationToken);
                    }
                }
            }
        }

        foreach (IMethodSymbol function in graph.LocalFunctions)
        {
            Analyze(graph.GetLocalFunctionControlFlowGraph(function, cancellationToken), function, report, cancellationToken);
        }
    }

    // Runs the blocks first..last from the first, and returns the merge of the states that leave the range at the end of
    // a finally region (the result when the range is a finally region).
    private DisposalState Run(int first, int last, DisposalState entry)
    {
        var input = new DisposalState?[last - first + 1];
        var pending = new SortedSet<int> { first };
        input[0] = entry;
        DisposalState? leaving = null;

        while (pending.Count > 0)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            int ordinal = pending.Min;
            pending.Remove(ordinal);
            BasicBlock block = _graph.Blocks[ordinal];
            DisposalState before = input[ordinal - first]!;
            if (block.Kind == BasicBlockKind.Exit)
            {
                continue;
            }

            // Any operation in a try region may throw, from the state it starts with.
            bool inTry = InTryWithCatch(block);
            DisposalState after = _transfer.Apply(block, before, state =>
            {
                if (inTry)
                {
                    EnterCatches(block, state, Merge);
                }
            });
            Follow(block, block.ConditionalSuccessor, after);
            Follow(block, block.FallThroughSuccessor, after);
        }

        return leaving ?? entry;

        void Merge(int ordinal, DisposalState state)
        {
            if (ordinal < first || ordinal > last)
            {
                return;
            }

            DisposalState? known = input[ordinal - first];
            DisposalState merged = known is null ? state : known.Merge(state);
            if (known is null || !merged.SameAs(known))
            {
                input[ordinal - first] = merged;
                pending.Add(ordinal);
            }
        }

        void Follow(BasicBlock from, ControlFlowBranch? branch, DisposalState state)
        {
            if (branch is null)
            {
                return;
            }

            DisposalState beforeFinally = state;
            foreach (ControlFlowRegion @finally in branch.FinallyRegions)
            {
                state = Run(@finally.FirstBlockOrdinal, @finally.LastBlockOrdinal, state);
            }

            if (branch.Semantics == ControlFlowBranchSemantics.Return && !branch.FinallyRegions.IsEmpty && from.BranchValue is { } returned)
            {
                _transfer.CheckReturned(returned, beforeFinally, state);
            }

            switch (branch.Semantics)
            {
                case ControlFlowBranchSemantics.Regular or ControlFlowBranchSemantics.Return when branch.Destination is { } destination:
                    if (destination.Ordinal < first || destination.Ordinal > last)
                    {
                        leaving = leaving is null ? state : leaving.Merge(state);
                    }
                    else
                    {
                        Merge(destination.Ordinal, state);
                    }

                    break;
                case ControlFlowBranchSemantics.StructuredExceptionHandling:
                    leaving = leaving is null ? state : leaving.Merge(state);
                    break;
                case ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow:
                    Throw(from, state, Merge);
                    break;
            }
        }
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

    // The handlers of every try region around the block may start from a state of the block.
    private static void EnterCatches(BasicBlock block, DisposalState state, Action<int, DisposalState> merge)
    {
        for (ControlFlowRegion? region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
        {
            if (region.Kind == ControlFlowRegionKind.Try && region.EnclosingRegion is { Kind: ControlFlowRegionKind.TryAndCatch } tryAndCatch)
            {
                for (int i = 1; i < tryAndCatch.NestedRegions.Length; i++)
                {
                    merge(tryAndCatch.NestedRegions[i].FirstBlockOrdinal, state);
                }
            }
        }
    }

    // An explicit throw: the finally regions between it and the nearest catch run, then the catch's handlers may start.
    private void Throw(BasicBlock from, DisposalState state, Action<int, DisposalState> merge)
    {
        for (ControlFlowRegion? region = from.EnclosingRegion; region is not null; region = region.EnclosingRegion)
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
                state = Run(tryRegion.NestedRegions[1].FirstBlockOrdinal, tryRegion.NestedRegions[1].LastBlockOrdinal, state);
            }
        }
    }
}
