using System;
using System.IO;
using Microsoft.Data.Sqlite;

namespace PoolGen.Sample.Sqlite;

/// <summary>How the sample opens its SQLite database: one file in a fresh temp folder, in WAL mode.</summary>
internal static class SqliteSettings
{
    /// <summary>How long a writer waits for SQLite's write lock before it fails, in milliseconds.</summary>
    public const int BusyTimeoutMs = 5_000;

    /// <summary>A connection string for <paramref name="path"/>, with SQLite's own pooling off so PoolGen does it.</summary>
    public static string ConnectionString(string path) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = BusyTimeoutMs / 1000,
        }.ToString();

    /// <summary>Creates an empty folder for the database file.</summary>
    public static string CreateTempFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "poolgen-sample-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>WAL is a property of the database file: set once, it holds for every later connection.</summary>
    public static void EnableWal(SqliteConnection connection) => Execute(connection, "PRAGMA journal_mode = WAL;");

    /// <summary>
    /// Settings that belong to each connection: a busy timeout, so concurrent writers queue for the write lock instead
    /// of failing with SQLITE_BUSY, and the usual WAL companion <c>synchronous = NORMAL</c>.
    /// </summary>
    public static void ApplyPerConnection(SqliteConnection connection) =>
        Execute(connection, $"PRAGMA busy_timeout = {BusyTimeoutMs}; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
