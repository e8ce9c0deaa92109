using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace PoolGen.Analyzers.Usage.Flow;

/// <summary>
/// One forward dataflow analysis that <see cref="FlowDriver{TState}"/> runs over a control flow graph: what its state
/// is, how states meet, and what each operation does to one. The driver owns the order of the blocks and of the
/// operations in them, the finally regions and the exception edges, so an analysis only says what happens at a point.
/// </summary>
/// <typeparam name="TState">An immutable state: the driver keeps the one each block starts from and never copies it.</typeparam>
internal abstract class FlowAnalysis<TState>
    where TState : class
{
    /// <summary>The state where the method's body starts.</summary>
    public abstract TState Entry { get; }

    /// <summary>
    /// Whether every operation in a try region may throw, so that its catch handlers start from the state before each
    /// operation as well as from the explicit <c>throw</c>s; otherwise only explicit throws reach a handler.
    /// </summary>
    public abstract bool FollowsThrowingOperations { get; }

    /// <summary>
    /// Whether the driver asks <see cref="ThrownFrom"/> about each operation, and follows what an exception from it
    /// carries out of the method through the finally regions around it (see <see cref="AtUncaughtException"/>).
    /// </summary>
    public virtual bool FollowsUncaughtExceptions => false;

    /// <summary>The state where two paths meet.</summary>
    public abstract TState Join(TState known, TState incoming);

    /// <summary>
    /// Whether <paramref name="joined"/>, the join of <paramref name="known"/> with another state, says nothing new: the
    /// fixed-point test. It is only asked about a join and one of its sides.
    /// </summary>
    public abstract bool SameAs(TState joined, TState known);

    /// <summary>
    /// Whether there is nothing to follow in <paramref name="state"/>: the driver then runs no finally region for it and
    /// stops following a <c>throw</c> with it, which saves the work for the states most paths have.
    /// </summary>
    public virtual bool HoldsNothing(TState state) => false;

    /// <summary>
    /// What one operation does to the state once the operations under it have done theirs: the driver visits a block's
    /// operations, then its branch value, children before parents, as they are evaluated.
    /// </summary>
    public abstract TState Transfer(IOperation operation, TState state);

    /// <summary>The state once a block returns <paramref name="returned"/> to the caller, before any finally region runs.</summary>
    public virtual TState Returns(IOperation returned, TState state) => state;

    /// <summary>The states on the true and on the false edge of a condition whose value is already transferred.</summary>
    public virtual (TState WhenTrue, TState WhenFalse) Split(IOperation condition, TState state) => (state, state);

    /// <summary>The state after a finally region that no path leaves normally (each one throws or loops forever).</summary>
    public abstract TState AfterFinallyNoPathLeaves(TState entry);

    /// <summary>
    /// A <c>return</c> of <paramref name="returned"/> that runs finally regions on its way out, with the states before
    /// and after them: a finally may undo what the return hands on.
    /// </summary>
    public virtual void ReturnsThroughFinally(IOperation returned, TState beforeFinally, TState afterFinally)
    {
    }

    /// <summary>
    /// What an exception thrown by <paramref name="operation"/> (a block's operation or branch value, with what it
    /// contains) carries, given the states before and after it; null when it may not throw or carries nothing worth
    /// following. Asked only when <see cref="FollowsUncaughtExceptions"/>.
    /// </summary>
    public virtual TState? ThrownFrom(IOperation operation, TState before, TState after) => null;

    /// <summary>
    /// The state an exception from <paramref name="operation"/> carries out of the method, after the finally regions it
    /// runs on its way. An exception that reaches a <c>try</c> with a <c>catch</c> is assumed taken by it and is not
    /// followed further: the handler's paths are the regular analysis's business.
    /// </summary>
    public virtual void AtUncaughtException(IOperation operation, TState state)
    {
    }

    /// <summary>The state that reaches the end of the method.</summary>
    public virtual void AtExit(TState state)
    {
    }

    /// <summary>
    /// The state at an explicit <c>throw</c> that no catch around it takes, after the finally regions it runs (or where
    /// <see cref="HoldsNothing"/> stopped following it).
    /// </summary>
    public virtual void AtUncaughtThrow(TState state)
    {
    }
}
