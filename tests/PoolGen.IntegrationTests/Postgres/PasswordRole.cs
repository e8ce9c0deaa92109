using Npgsql;
using PoolGen.IntegrationTests.Infrastructure;

namespace PoolGen.IntegrationTests.Postgres;

/// <summary>
/// A login role that must give its password, on a cluster where everyone else is trusted: the throwaway cluster is
/// initialised with <c>-A trust</c>, so a wrong password is only refused for a role that has a pg_hba.conf line of its
/// own. Adding that line (first, so it wins) and reloading the configuration changes nothing for any other role, so
/// the shared cluster stays as every other test expects it. A server named by <c>POOLGEN_PG_CONNECTION</c> is not
/// edited: it must already refuse the role a wrong password, or the test fails saying what to add.
/// </summary>
internal static class PasswordRole
{
    public const string Name = "poolgen_password_role";
    public const string Password = "poolgen-right-password";

    private const string HbaLine = $"host all {Name} 127.0.0.1/32 scram-sha-256";

    private static readonly SemaphoreSlim s_setUp = new(1, 1);

    /// <summary>A connection string for the role with <paramref name="password"/>, everything else as the cluster's.</summary>
    public static string ConnectionString(PostgresCluster cluster, string applicationName, string password) =>
        new NpgsqlConnectionStringBuilder(cluster.ConnectionStringFor(applicationName))
        {
            Username = Name,
            Password = password,
        }.ConnectionString;

    /// <summary>Creates the role if needed and makes sure the server asks it for its password.</summary>
    public static async Task EnsureAsync(PostgresCluster cluster)
    {
        await s_setUp.WaitAsync();
        try
        {
            await ExecuteAsync(
                cluster.ConnectionString,
                $"DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{Name}') THEN CREATE ROLE {Name} LOGIN; END IF; END$$; " +
                $"SET password_encryption = 'scram-sha-256'; ALTER ROLE {Name} LOGIN PASSWORD '{Password}'");
            if (await RefusesWrongPasswordAsync(cluster))
            {
                return;
            }

            if (!cluster.CanRestart)
            {
                throw new InvalidOperationException(
                    $"The server named by {PostgresCluster.ConnectionVariable} lets role '{Name}' log in with a wrong password " +
                    $"(trust authentication), so a wrong password cannot be tested there. Add the pg_hba.conf line '{HbaLine}' " +
                    $"before its trust lines and reload it, or unset {PostgresCluster.ConnectionVariable} to use a throwaway cluster.");
            }

            await AddHbaLineAsync(cluster);
            bool refused = await Eventually.WaitForAsync(() => RefusesWrongPasswordAsync(cluster), r => r, TimeSpan.FromSeconds(10));
            if (!refused)
            {
                throw new InvalidOperationException(
                    $"After adding '{HbaLine}' to pg_hba.conf and reloading, the server still lets role '{Name}' in with a wrong password.");
            }
        }
        finally
        {
            s_setUp.Release();
        }
    }

    private static async Task<bool> RefusesWrongPasswordAsync(PostgresCluster cluster)
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString(cluster, "poolgen-password-probe", "wrong-" + Password));
            await connection.OpenAsync();
            return false;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidPassword)
        {
            return true;
        }
    }

    private static async Task AddHbaLineAsync(PostgresCluster cluster)
    {
        string path;
        await using (var connection = new NpgsqlConnection(cluster.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SHOW hba_file", connection);
            path = (string)(await command.ExecuteScalarAsync())!;
        }

        string original = await File.ReadAllTextAsync(path);
        if (!original.Contains(HbaLine, StringComparison.Ordinal))
        {
            // Rewritten in place, so the file keeps its owner (the postgres user) and its mode.
            await File.WriteAllTextAsync(
                path,
                $"# Added by PoolGen's integration tests: this role alone must give its password.{Environment.NewLine}{HbaLine}{Environment.NewLine}{original}");
        }

        try
        {
            await ExecuteAsync(cluster.ConnectionString, "SELECT pg_reload_conf()");
            await using var connection = new NpgsqlConnection(cluster.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT string_agg(error, '; ') FROM pg_hba_file_rules WHERE error IS NOT NULL", connection);
            if (await command.ExecuteScalarAsync() is string errors)
            {
                throw new InvalidOperationException($"pg_hba.conf has errors after the role's line was added: {errors}");
            }
        }
        catch
        {
            await File.WriteAllTextAsync(path, original);
            await ExecuteAsync(cluster.ConnectionString, "SELECT pg_reload_conf()");
            throw;
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
