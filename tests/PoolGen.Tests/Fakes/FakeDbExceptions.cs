using System.Data.Common;

namespace PoolGen.Tests.Fakes;

/// <summary>A provider error that says no retry will mend it, like a wrong password or a missing database.</summary>
public sealed class PermanentDbException(string message) : DbException(message)
{
    public override bool IsTransient => false;
}

/// <summary>A provider error that says a retry may succeed, like a dropped network connection.</summary>
public sealed class TransientDbException(string message) : DbException(message)
{
    public override bool IsTransient => true;
}

/// <summary>
/// A provider error from a provider that does not implement IsTransient (SqlClient, Microsoft.Data.Sqlite): the base
/// class answers false for everything, which says nothing.
/// </summary>
public sealed class SilentDbException(string message) : DbException(message)
{
}
