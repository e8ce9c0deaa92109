using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

/// <summary>
/// The connection lifecycle of one pool: how a connection is opened, checked, reset and closed. The generator emits a
/// <c>struct</c> implementation per pool that calls the user's methods directly; because the engine is generic over
/// the policy struct, the JIT specializes the engine for it, inlines those calls and folds the <c>Has*</c> constants.
/// </summary>
/// <remarks>
/// <para>The engine never calls a policy member while it holds a lock.</para>
/// <para>
/// <see cref="Validate"/>, <see cref="ValidateAsync"/>, <see cref="IsBroken"/>, <see cref="Reset"/> and
/// <see cref="ResetAsync"/> have default bodies, so a policy implements only what its class has. The engine calls them
/// only when <see cref="HasValidate"/>, <see cref="HasIsBroken"/> or <see cref="HasReset"/> is true; for a policy
/// struct whose flag is a constant false the JIT removes those calls, so a default body (which, called on a struct,
/// would box it) never runs.
/// </para>
/// </remarks>
/// <typeparam name="TConnection">The pooled connection type.</typeparam>
public interface IConnectionPolicy<TConnection>
    where TConnection : class
{
    /// <summary>Whether <see cref="Validate"/> and <see cref="ValidateAsync"/> do anything.</summary>
    bool HasValidate { get; }

    /// <summary>Whether <see cref="Reset"/> and <see cref="ResetAsync"/> do anything.</summary>
    bool HasReset { get; }

    /// <summary>
    /// Whether <see cref="IsBroken"/> does anything: the user's IsBroken method, or the generated state check of an
    /// <c>System.Data.IDbConnection</c>.
    /// </summary>
    bool HasIsBroken { get; }

    /// <summary>
    /// Whether the user's validation method is asynchronous, so <see cref="ValidateAsync"/> can take a round trip and
    /// the engine bounds it with the pool's validation timeout.
    /// </summary>
    bool ValidatesAsynchronously { get; }

    /// <summary>
    /// Whether the user's factory is asynchronous. A synchronous one cannot be abandoned at a rent's deadline, so the
    /// engine runs it off the renting thread when the rent has a deadline or a token.
    /// </summary>
    bool CreatesAsynchronously { get; }

    /// <summary>The user's factory as written in code (for example <c>OrdersDb.CreateAsync</c>), for messages.</summary>
    string FactoryName { get; }

    /// <summary>Opens a new connection on the calling thread.</summary>
    TConnection Create();

    /// <summary>Opens a new connection asynchronously.</summary>
    ValueTask<TConnection> CreateAsync(CancellationToken cancellationToken);

    /// <summary>Says whether <paramref name="connection"/> is still usable. By default: true.</summary>
    bool Validate(TConnection connection) => true;

    /// <summary>Says asynchronously whether <paramref name="connection"/> is still usable. By default: true.</summary>
    ValueTask<bool> ValidateAsync(TConnection connection, CancellationToken cancellationToken) => new(true);

    /// <summary>
    /// Says, cheaply and without I/O, whether a returned connection is broken and must be closed. By default: false.
    /// </summary>
    bool IsBroken(TConnection connection) => false;

    /// <summary>Prepares a returned connection for its next user. By default: nothing.</summary>
    void Reset(TConnection connection)
    {
    }

    /// <summary>Prepares a returned connection for its next user, asynchronously. By default: nothing.</summary>
    ValueTask ResetAsync(TConnection connection, CancellationToken cancellationToken) => default;

    /// <summary>Closes a connection the pool retires.</summary>
    void Close(TConnection connection);

    /// <summary>Closes a connection the pool retires, asynchronously.</summary>
    ValueTask CloseAsync(TConnection connection);
}
