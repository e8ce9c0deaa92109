using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using PoolGen.Analyzers.Usage.Leaks;

namespace PoolGen.Analyzers.Usage.Disposal;

/// <summary>
/// What one basic block does to the disposal state, and the findings it makes on the way: a read of a disposed lease or
/// of its connection (POOL103), a second disposal of a lease or a copy of it, and the disposal of a borrowed parameter
/// (POOL104).
/// </summary>
internal sealed class DisposalTransfer
{
    private readonly Dictionary<CaptureId, ISymbol> _captures;
    private readonly Dictionary<ISymbol, ISymbol> _connectionOf = new(SymbolEqualityComparer.Default);
    private readonly DisposalReport _report;

    public DisposalTransfer(ControlFlowGraph graph, DisposalReport report)
    {
        _captures = Captures(graph);
        _report = report;
    }

    /// <summary>The state where <paramref name="owner"/>'s body starts: each lease parameter holds a value of its own.</summary>
    public static DisposalState Entry(ISymbol owner)
    {
        DisposalState state = DisposalState.Empty;
        if (owner is IMethodSymbol method)
        {
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                if (LeaseTypes.IsLease(parameter.Type))
                {
                    state = state.Assign(parameter, ImmutableHashSet.Create<object>(parameter), fresh: true);
                }
            }
        }

        return state;
    }

    /// <summary>
    /// The state after the block's operations and its branch value; <paramref name="mayThrow"/> is told the state before
    /// each operation, where a call in it may throw.
    /// </summary>
    public DisposalState Apply(BasicBlock block, DisposalState state, System.Action<DisposalState> mayThrow)
    {
        foreach (IOperation operation in block.Operations)
        {
            mayThrow(state);
            state = Visit(operation, state);
        }

        return block.BranchValue is { } value ? Visit(value, state) : state;
    }

    /// <summary>
    /// <c>return lease;</c> through finally regions (a <c>using</c>'s among them) that dispose the lease on the way out:
    /// the caller gets a disposed lease.
    /// </summary>
    public void CheckReturned(IOperation returned, DisposalState beforeFinally, DisposalState afterFinally)
    {
        if (Variable(returned) is not { } variable || _connectionOf.ContainsKey(variable)
            || beforeFinally.DisposalOf(variable) is not null || afterFinally.DisposalOf(variable) is not { } disposed)
        {
            return;
        }

        string fix = disposed.Site.IsImplicit
            ? "declare it without 'using', so that the caller disposes the lease it gets"
            : "do not dispose a lease you return: the caller disposes it";
        _report.Add(DiagnosticDescriptors.LeaseUsedAfterDispose, returned.Syntax, disposed.Site,
            $"'{variable.Name}' is returned", $"{DisposalSites.Describe(disposed.Site)} disposes it on the way out", fix);
    }

    // Children before parents, as they are evaluated.
    private DisposalState Visit(IOperation operation, DisposalState state)
    {
        foreach (IOperation child in operation.ChildOperations)
        {
            state = Visit(child, state);
        }

        switch (operation)
        {
            case ISimpleAssignmentOperation assignment:
                return Assign(assignment, state);

            case IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } argument when Variable(argument.Value) is { } filled:
                return state.Assign(filled, ImmutableHashSet.Create<object>(argument), fresh: true);

            case IArgumentOperation argument when LeaseOperations.TakesLease(argument.Parameter) && Variable(argument.Value) is { } taken:
                return Dispose(state, taken, argument);

            case IInvocationOperation { TargetMethod: { Name: "Dispose" or "DisposeAsync", Parameters.Length: 0 }, Instance: { } instance } invocation
                when Variable(instance) is { } disposed:
                return Dispose(state, disposed, invocation);

            case ILocalReferenceOperation or IParameterReferenceOperation or IFlowCaptureReferenceOperation:
                CheckUse(operation, state);
                return state;

            default:
                return state;
        }
    }

    private DisposalState Assign(ISimpleAssignmentOperation assignment, DisposalState state)
    {
        ISymbol? target = Variable(assignment.Target);
        if (target is not null)
        {
            return Variable(assignment.Value) is { } source
                ? state.Assign(target, state.ValuesOf(source), fresh: false)
                : state.Assign(target, ImmutableHashSet.Create<object>(LeaseOperations.Strip(assignment.Value)), fresh: true);
        }

        // 'var connection = lease.Connection;': the connection lives as long as the lease's value does.
        if (LeaseOperations.Strip(assignment.Target) is ILocalReferenceOperation { Local: var local })
        {
            if (ConnectionOwner(assignment.Value) is { } lease)
            {
                _connectionOf[local] = lease;
                return state.Assign(local, state.ValuesOf(lease), fresh: false);
            }

            return state.Assign(local, ImmutableHashSet<object>.Empty, fresh: false);
        }

        return state;
    }

    private DisposalState Dispose(DisposalState state, ISymbol variable, IOperation site)
    {
        if (variable is IParameterSymbol { RefKind: RefKind.None or RefKind.In, ContainingSymbol: IMethodSymbol { MethodKind: not MethodKind.AnonymousFunction } } parameter
            && !LeaseOperations.TakesLease(parameter))
        {
            _report.Add(DiagnosticDescriptors.LeaseDisposedTwice, site.Syntax, null,
                $"'{parameter.Name}' is a parameter without [TakesLease], so the caller still owns the lease and disposes it as well",
                "leave disposing it to the caller, or mark the parameter [TakesLease] if this method takes the lease over");
        }
        else if (state.DisposalOf(variable) is { } earlier)
        {
            // Point at the disposal the user wrote: a 'using' that disposes again is not the line to change.
            SyntaxNode at = site.IsImplicit && !earlier.Site.IsImplicit ? earlier.Site.Syntax : site.Syntax;
            IOperation other = at == site.Syntax ? earlier.Site : site;
            string copy = Variable(DisposalSites.Disposed(earlier.Site)) is { } first && !SymbolEqualityComparer.Default.Equals(first, variable)
                ? $"a copy of the lease in '{first.Name}', which "
                : "what ";
            string when = earlier.OnEveryPath ? "disposed" : "may have disposed (on some path)";
            _report.Add(DiagnosticDescriptors.LeaseDisposedTwice, at, other,
                $"{DisposalSites.Describe(site)} disposes {copy}{DisposalSites.Describe(earlier.Site)} {when}",
                "dispose each lease once, through one variable ('using' already disposes it)");
        }

        return state.Dispose(variable, site);
    }

    private void CheckUse(IOperation reference, DisposalState state)
    {
        if (Variable(reference) is not { } variable || !IsUse(reference) || state.DisposalOf(variable) is not { } disposed)
        {
            return;
        }

        IOperation used = Member(reference) ?? reference;
        string what = _connectionOf.TryGetValue(variable, out ISymbol? lease)
            ? $"'{variable.Name}', the Connection of '{lease.Name}', is used"
            : $"'{used.Syntax}' is used";
        string how = disposed.OnEveryPath ? "disposed the lease" : "may have disposed the lease (on some path)";
        _report.Add(DiagnosticDescriptors.LeaseUsedAfterDispose, used.Syntax, disposed.Site,
            what, $"{DisposalSites.Describe(disposed.Site)} {how}", "use the lease and its connection before disposing it, or dispose it later");
    }

    // Whether a read of a variable uses the lease: disposing, writing, checking IsActive or null, and the compiler's own
    // copies into captures do not.
    private static bool IsUse(IOperation reference)
    {
        IOperation child = reference;
        IOperation? parent = reference.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            child = parent;
            parent = parent.Parent;
        }

        return parent switch
        {
            ISimpleAssignmentOperation assignment => assignment.Target != child && !IsLeaseVariable(assignment.Target),
            IDeclarationExpressionOperation or IFlowCaptureOperation or IIsNullOperation or IIsPatternOperation => false,
            IArgumentOperation argument => argument.Parameter?.RefKind != RefKind.Out && !LeaseOperations.TakesLease(argument.Parameter),
            IInvocationOperation { TargetMethod: { Name: "Dispose" or "DisposeAsync", Parameters.Length: 0 } } invocation => invocation.Instance != child,
            IPropertyReferenceOperation { Property.Name: "IsActive" } => false,
            IBinaryOperation binary => !IsNull(binary.LeftOperand) && !IsNull(binary.RightOperand),
            _ => true,
        };
    }

    // 'lease.Connection', 'lease.Invalidate()': the member a use goes through, where the finding is best shown.
    private static IOperation? Member(IOperation reference) => reference.Parent switch
    {
        IPropertyReferenceOperation property when property.Instance == reference => property,
        IInvocationOperation invocation when invocation.Instance == reference => invocation,
        _ => null,
    };

    private static bool IsLeaseVariable(IOperation operation) =>
        LeaseOperations.Strip(operation) is ILocalReferenceOperation { Local.Type: var type } && LeaseTypes.IsLease(type);

    private static bool IsNull(IOperation operation) =>
        LeaseOperations.Strip(operation).ConstantValue is { HasValue: true, Value: null };

    // The lease variable whose Connection 'value' reads.
    private ISymbol? ConnectionOwner(IOperation value) =>
        LeaseOperations.Strip(value) is IPropertyReferenceOperation { Property.Name: "Connection", Instance: { } instance }
            ? Variable(instance)
            : null;

    // The tracked variable an operation reads: a lease local or parameter, a connection local, or a capture of one.
    private ISymbol? Variable(IOperation? operation)
    {
        operation = operation is null ? null : LeaseOperations.Strip(operation);
        if (operation is IDeclarationExpressionOperation declaration)
        {
            operation = LeaseOperations.Strip(declaration.Expression);
        }

        return operation switch
        {
            ILocalReferenceOperation { Local: var local } when LeaseTypes.IsLease(local.Type) || _connectionOf.ContainsKey(local) => local,
            IParameterReferenceOperation { Parameter: var parameter } when LeaseTypes.IsLease(parameter.Type) => parameter,
            IFlowCaptureReferenceOperation capture when _captures.TryGetValue(capture.Id, out ISymbol? captured) => captured,
            _ => null,
        };
    }

    // The captures that copy a lease local or parameter, as 'using (lease)' does before its finally disposes the copy.
    private static Dictionary<CaptureId, ISymbol> Captures(ControlFlowGraph graph)
    {
        var captures = new Dictionary<CaptureId, ISymbol>();
        foreach (BasicBlock block in graph.Blocks)
        {
            foreach (IOperation operation in block.Operations)
            {
                if (operation is IFlowCaptureOperation capture)
                {
                    ISymbol? source = LeaseOperations.Strip(capture.Value) switch
                    {
                        ILocalReferenceOperation { Local: var local } when LeaseTypes.IsLease(local.Type) => local,
                        IParameterReferenceOperation { Parameter: var parameter } when LeaseTypes.IsLease(parameter.Type) => parameter,
                        IFlowCaptureReferenceOperation inner when captures.TryGetValue(inner.Id, out ISymbol? captured) => captured,
                        _ => null,
                    };
                    if (source is not null)
                    {
                        captures[capture.Id] = source;
                    }
                }
            }
        }

        return captures;
    }
}
