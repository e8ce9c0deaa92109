namespace PoolGen.Generators.Model;

/// <summary>How a dispose method of the connection type can be called.</summary>
internal enum DisposeCall
{
    /// <summary>The type does not implement the interface.</summary>
    None,

    /// <summary>A public member: <c>connection.Dispose()</c>.</summary>
    Member,

    /// <summary>An explicit interface implementation: the call goes through a cast to the interface.</summary>
    Interface,
}
