using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using PoolGen.Analyzers.Usage.Flow;
using PoolGen.Analyzers.Usage.Leaks;

namespace PoolGen.Analyzers.Usage.Disposal;

/// <summary>
/// The disposal analysis (POOL103, POOL104) of one control flow graph: a forward analysis of which lease values are
/// disposed at each point (<see cref="DisposalState"/>), and the findings it makes on the way: a read of a disposed
/// lease or of its connection (POOL103), a second disposal of a lease or a copy of it, and the disposal of a borrowed
/// parameter (POOL104).
/// </summary>
/// <remarks>
/// Any operation in a try region may throw, so a catch handler starts from the state before each of them as well as
/// from each explicit <c>throw</c>: a lease disposed part way through the try is disposed "on some path" in the handler.
/// </remarks>
internal sealed class DisposalAnalysis : FlowAnalysis<DisposalState>
{
    private readonly ControlFlowGraph _graph;
    private readonly Dictionary<CaptureId, ISymbol> _captures;
    private readonly Dictionary<ISymbol, ISymbol> _connectionOf = new(SymbolEqualityComparer.Default);

    // 'Action done = () => lease.Dispose();': the outer leases each delegate local disposes when it is invoked.
    private readonly Dictionary<ISymbol, HashSet<ILocalSymbol>> _disposingDelegates = new(SymbolEqualityComparer.Default);
    private readonly DisposalReport _report;

    private DisposalAnalysis(ControlFlowGraph graph, ISymbol owner, DisposalReport report)
    {
        _graph = graph;
        _captures = LeaseOperations.Captures(graph);
        _report = report;
        Entry = EntryOf(owner);
    }

    /// <summary>Where the body starts, each lease parameter holds a value of its own.</summary>
    public override DisposalState Entry { get; }

    /// <inheritdoc/>
    public override bool FollowsThrowingOperations => true;

    /// <summary>Analyzes <paramref name="graph"/> and the lambdas and local functions in it, each as a method of its own.</summary>
    public static void Analyze(ControlFlowGraph graph, ISymbol owner, DisposalReport report, CancellationToken cancellationToken) =>
        FlowDriver<DisposalState>.Run(graph, owner, (function, symbol) => new DisposalAnalysis(function, symbol, report),
            lambdasInBranchValues: false, cancellationToken);

    /// <inheritdoc/>
    public override DisposalState Join(DisposalState known, DisposalState incoming) => known.Merge(incoming);

    /// <inheritdoc/>
    public override bool SameAs(DisposalState joined, DisposalState known) => joined.SameAs(known);

    /// <inheritdoc/>
    public override DisposalState AfterFinallyNoPathLeaves(DisposalState entry) => entry;

    /// <summary>
    /// <c>return lease;</c> through finally regions (a <c>using</c>'s among them) that dispose the lease on the way out:
    /// the caller gets a disposed lease.
    /// </summary>
    public override void ReturnsThroughFinally(IOperation returned, DisposalState beforeFinally, DisposalState afterFinally)
    {
        // A finally that disposes on some paths only, by an explicit call, is the success-flag idiom
        // ('finally { if (!handedOver) lease.Dispose(); }'), whose flag this analysis does not follow: not reported.
        if (Variable(returned) is not { } variable || _connectionOf.ContainsKey(variable)
            || beforeFinally.DisposalOf(variable) is not null || afterFinally.DisposalOf(variable) is not { } disposed
            || !disposed.OnEveryPath && !disposed.Site.IsImplicit)
        {
            return;
        }

        string fix = disposed.Site.IsImplicit
            ? "declare it without 'using', so that the caller disposes the lease it gets"
            : "do not dispose a lease you return: the caller disposes it";
        _report.Add(DiagnosticDescriptors.LeaseUsedAfterDispose, returned.Syntax, disposed.Site,
            $"'{variable.Name}' is returned", $"{DisposalSites.Describe(disposed.Site)} disposes it on the way out", fix);
    }

    /// <inheritdoc/>
    public override DisposalState Transfer(IOperation operation, DisposalState state)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation assignment:
                return Assign(assignment, state);

            case IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } argument when Variable(argument.Value) is { } filled:
                return state.Assign(filled, ImmutableHashSet.Create<object>(argument), fresh: true);

            case IArgumentOperation argument when Variable(argument.Value) is { } taken && LeaseOperations.TakesLease(argument.Parameter):
                return Dispose(state, taken, argument);

            // Disposing a local that holds a lease's connection ('using var connection = lease.Connection;') disposes the
            // connection, not the lease: POOL106 reports it, and the lease still has to be disposed once.
            case IInvocationOperation { Instance: { } instance } invocation when LeaseOperations.IsDispose(invocation.TargetMethod)
                                                                                 && Variable(instance) is { } disposed && !_connectionOf.ContainsKey(disposed):
                return Dispose(state, disposed, invocation);

            // 'Done();' for a local function that disposes a lease it captured: the call disposes it.
            case IInvocationOperation { TargetMethod.MethodKind: MethodKind.LocalFunction } call
                when !state.Values.IsEmpty && LeakOperations.LocalFunctionGraph(_graph, call.TargetMethod) is { } function:
                return DisposeCaptured(state, LeakOperations.DisposedIn(function), call);

            // 'done();' for a delegate local that holds such a lambda.
            case IInvocationOperation { TargetMethod.Name: "Invoke", Instance: { } target } call
                when _disposingDelegates.Count > 0 && LeaseOperations.Strip(target) is ILocalReferenceOperation { Local: var invoked }
                     && _disposingDelegates.TryGetValue(invoked, out HashSet<ILocalSymbol>? captured):
                return DisposeCaptured(state, captured, call);

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
            if (LeaseOperations.Strip(assignment.Value) is IDelegateCreationOperation { Target: IFlowAnonymousFunctionOperation lambda }
                && LeakOperations.DisposedIn(_graph.GetAnonymousFunctionControlFlowGraph(lambda)) is { Count: > 0 } disposing)
            {
                _disposingDelegates[local] = disposing;
            }

            if (ConnectionOwner(assignment.Value) is { } lease)
            {
                _connectionOf[local] = lease;
                return state.Assign(local, state.ValuesOf(lease), fresh: false);
            }

            return state.Assign(local, ImmutableHashSet<object>.Empty, fresh: false);
        }

        return state;
    }

    private DisposalState DisposeCaptured(DisposalState state, HashSet<ILocalSymbol> locals, IOperation call)
    {
        foreach (ILocalSymbol local in locals)
        {
            if (state.Values.ContainsKey(local))
            {
                state = Dispose(state, local, call);
            }
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
        (IOperation? parent, IOperation child) = LeaseOperations.Consumer(reference);
        return parent switch
        {
            ISimpleAssignmentOperation assignment => assignment.Target != child && !IsLeaseVariable(assignment.Target),
            IDeclarationExpressionOperation or IFlowCaptureOperation or IIsNullOperation or IIsPatternOperation => false,
            IArgumentOperation argument => argument.Parameter?.RefKind != RefKind.Out && !LeaseOperations.TakesLease(argument.Parameter),
            IInvocationOperation invocation when LeaseOperations.IsDispose(invocation.TargetMethod) => invocation.Instance != child,
            IPropertyReferenceOperation { Property.Name: "IsActive" } => false,
            IBinaryOperation binary => !LeaseOperations.IsNull(binary.LeftOperand) && !LeaseOperations.IsNull(binary.RightOperand),
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

    // The lease variable whose Connection 'value' reads.
    private ISymbol? ConnectionOwner(IOperation value) =>
        LeaseOperations.Strip(value) is IPropertyReferenceOperation { Property.Name: "Connection", Instance: { } instance }
            ? Variable(instance)
            : null;

    // The tracked variable an operation reads: a lease local or parameter, a connection local, or a capture of one.
    private ISymbol? Variable(IOperation? operation) =>
        LeaseOperations.Variable(operation, _captures)
        ?? (LeaseOperations.Reference(operation) is ILocalReferenceOperation { Local: var local } && _connectionOf.ContainsKey(local) ? local : null);

    private static DisposalState EntryOf(ISymbol owner)
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
}
