using System;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    /// <summary>Nonzero once the first connection's provider pooling has been looked at.</summary>
    private int _providerPoolingChecked;

    /// <summary>
    /// Whether the connection is broken by the pool's IsBroken check (the user's method, or the generated state check of
    /// an IDbConnection). A check that throws has answered yes; the error is logged and counted.
    /// </summary>
    private bool IsBroken(TConnection connection)
    {
        try
        {
            return _policy.IsBroken(connection);
        }
        catch (Exception exception)
        {
            UserCodeFailed(_failureLogs.IsBroken, exception);
            return true;
        }
    }

    /// <summary>Resets a returned connection; false (logged and counted) when the reset threw.</summary>
    private bool TryReset(TConnection connection)
    {
        try
        {
            _policy.Reset(connection);
            return true;
        }
        catch (Exception exception)
        {
            ResetFailed(exception);
            return false;
        }
    }

    private async ValueTask<bool> TryResetAsync(TConnection connection)
    {
        try
        {
            await _policy.ResetAsync(connection, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception)
        {
            ResetFailed(exception);
            return false;
        }
    }

    private void ResetFailed(Exception exception)
    {
        // A connection whose reset failed is in an unknown state; closing it is the only safe answer.
        _counters.CountResetFailure();
        UserCodeFailed(_failureLogs.Reset, exception);
    }

    /// <summary>Closes a connection leaving the pool; a close that throws is logged and counted, and the connection is gone all the same.</summary>
    private void CloseConnection(TConnection connection)
    {
        try
        {
            _policy.Close(connection);
        }
        catch (Exception exception)
        {
            UserCodeFailed(_failureLogs.Close, exception);
        }
    }

    private async ValueTask CloseConnectionAsync(TConnection connection)
    {
        try
        {
            await _policy.CloseAsync(connection).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            UserCodeFailed(_failureLogs.Close, exception);
        }
    }

    private void UserCodeFailed(FailureLog log, Exception exception)
    {
        _counters.CountUserCodeError();
        log.Report(exception, PreciseNowMs());
    }

    /// <summary>
    /// Warns once per pool when its connections come with the provider's own pooling on: closing one then only parks
    /// it in the provider's pool, so Clear and shutdown leave server sessions open. Read from the first connection's
    /// connection string; the providers named below pool unless told not to.
    /// </summary>
    private void CheckProviderPooling(TConnection connection)
    {
        if (connection is not DbConnection db || Interlocked.Exchange(ref _providerPoolingChecked, 1) != 0)
        {
            return;
        }

        try
        {
            var settings = new DbConnectionStringBuilder { ConnectionString = db.ConnectionString };
            bool pooling = settings.TryGetValue("Pooling", out object? value)
                ? !IsOff(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture))
                : PoolsByDefault(db);
            if (pooling)
            {
                PoolLog.ProviderPooling(_settings.Logger, Name, db.GetType().Name);
            }
        }
        catch (Exception)
        {
            // A connection string this builder cannot read says nothing either way; the check is advice, not a rule.
        }
    }

    private static bool IsOff(string? value) =>
        value is not null && (value.Equals("false", StringComparison.OrdinalIgnoreCase)
            || value.Equals("no", StringComparison.OrdinalIgnoreCase)
            || value == "0");

    /// <summary>The common providers whose pooling is on when the connection string does not mention it.</summary>
    private static bool PoolsByDefault(DbConnection connection) =>
        connection.GetType().FullName is "Npgsql.NpgsqlConnection"
            or "Microsoft.Data.SqlClient.SqlConnection"
            or "System.Data.SqlClient.SqlConnection"
            or "Microsoft.Data.Sqlite.SqliteConnection"
            or "MySqlConnector.MySqlConnection"
            or "MySql.Data.MySqlClient.MySqlConnection"
            or "Oracle.ManagedDataAccess.Client.OracleConnection";
}
