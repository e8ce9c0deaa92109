namespace PoolGen.Generators.Model;

/// <summary>Whether the generated IsBroken reads the connection's <c>IDbConnection.State</c>, and how it reaches it.</summary>
internal enum StateCheck
{
    /// <summary>
    /// No state check: the user's IsBroken replaces it, <c>CheckConnectionState</c> is false, or the connection type is
    /// not an <c>IDbConnection</c>.
    /// </summary>
    None,

    /// <summary>A public property: <c>connection.State</c>.</summary>
    Member,

    /// <summary>An explicit implementation, or a <c>State</c> that hides it: the read goes through a cast to the interface.</summary>
    Interface,
}
