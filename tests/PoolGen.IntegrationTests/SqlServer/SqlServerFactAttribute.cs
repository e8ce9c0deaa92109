namespace PoolGen.IntegrationTests.SqlServer;

/// <summary>
/// A fact that needs a real SQL Server. Without <c>POOLGEN_SQLSERVER_CONNECTION</c> it is reported as skipped with the
/// reason, never silently passed.
/// </summary>
public sealed class SqlServerFactAttribute : FactAttribute
{
    public const string ConnectionVariable = "POOLGEN_SQLSERVER_CONNECTION";

    public SqlServerFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            Skip = $"Needs a SQL Server: set {ConnectionVariable} to a connection string " +
                   "(e.g. 'Server=127.0.0.1,1433;User Id=sa;Password=...;Encrypt=False') to run it.";
        }
    }

    public static string? ConnectionString => Environment.GetEnvironmentVariable(ConnectionVariable);
}
