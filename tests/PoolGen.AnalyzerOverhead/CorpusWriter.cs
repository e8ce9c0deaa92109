using System.Collections.Generic;
using System.Globalization;

namespace PoolGen.AnalyzerOverhead;

/// <summary>
/// Writes the code the benchmark compiles: a few pools, and files of services that use them the ways real code does
/// (using declarations and statements, await using, loops with continue, try/finally, TryRent, helpers that return a
/// lease) beside ordinary methods that never touch a pool, which is what most of a real project is.
/// </summary>
internal static class CorpusWriter
{
    public const int Pools = 5;

    /// <summary>The pools and their connection type.</summary>
    public static string PoolsFile()
    {
        var text = new System.Text.StringBuilder("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using PoolGen;

            namespace Corpus;

            public sealed class Connection : IDisposable
            {
                public bool IsOpen => true;

                public int Execute(string sql) => sql.Length;

                public Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken) => Task.FromResult(sql.Length);

                public void Dispose() { }
            }

            """);
        for (int i = 0; i < Pools; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $$"""

                [ConnectionPool(Min = 1, Max = 20, Validate = nameof(IsAlive))]
                public sealed partial class Db{{i}}
                {
                    private Connection Create() => new Connection();

                    private static bool IsAlive(Connection connection) => connection.IsOpen;
                }

                """);
        }

        return text.ToString();
    }

    /// <summary>Service number <paramref name="index"/>: eight methods, five of them rent.</summary>
    public static string ServiceFile(int index)
    {
        string db = "Db" + (index % Pools).ToString(CultureInfo.InvariantCulture);
        return $$"""
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;

            namespace Corpus.Services{{index / 100}};

            public sealed class Service{{index}}
            {
                private readonly {{db}} _db;
                private readonly Dictionary<string, int> _cache = new();

                public Service{{index}}({{db}} db) => _db = db;

                public int Count(string table)
                {
                    using var lease = _db.Rent();
                    return lease.Connection.Execute("select count(*) from " + table);
                }

                public async Task<int> CountAsync(string table, CancellationToken cancellationToken)
                {
                    await using var lease = await _db.RentAsync(cancellationToken);
                    var connection = lease.Connection;
                    return await connection.ExecuteAsync("select count(*) from " + table, cancellationToken);
                }

                public int Sum(IReadOnlyList<string> tables)
                {
                    int total = 0;
                    foreach (string table in tables)
                    {
                        if (string.IsNullOrEmpty(table))
                        {
                            continue;
                        }

                        using ({{db}}.Lease lease = _db.Rent())
                        {
                            if (!lease.Connection.IsOpen)
                            {
                                continue;
                            }

                            total += lease.Connection.Execute(table);
                        }
                    }

                    return total;
                }

                public int Guarded(string sql)
                {
                    {{db}}.Lease lease = _db.Rent();
                    try
                    {
                        if (sql.Length == 0)
                        {
                            throw new ArgumentException("Empty statement.", nameof(sql));
                        }

                        return lease.Connection.Execute(sql);
                    }
                    finally
                    {
                        lease.Dispose();
                    }
                }

                public bool TryQuick(string sql, out int result)
                {
                    result = 0;
                    if (!_db.TryRent(out {{db}}.Lease lease))
                    {
                        return false;
                    }

                    using (lease)
                    {
                        result = lease.Connection.Execute(sql);
                        return true;
                    }
                }

                public {{db}}.Lease RentOpen()
                {
                    {{db}}.Lease lease = _db.Rent();
                    if (!lease.Connection.IsOpen)
                    {
                        lease.Dispose();
                        throw new InvalidOperationException("Closed connection.");
                    }

                    return lease;
                }

                public string Describe(IEnumerable<int> values)
                {
                    var ordered = values.Where(v => v > 0).OrderBy(v => v).Select(v => v.ToString()).ToList();
                    return ordered.Count == 0 ? "none" : string.Join(", ", ordered);
                }

                public int Cached(string key)
                {
                    if (_cache.TryGetValue(key, out int value))
                    {
                        return value;
                    }

                    value = key.Aggregate(17, (hash, c) => hash * 31 + c);
                    _cache[key] = value;
                    return value;
                }

                public static int Parse(string text)
                {
                    int result = 0;
                    for (int i = 0; i < text.Length; i++)
                    {
                        switch (text[i])
                        {
                            case >= '0' and <= '9':
                                result = result * 10 + (text[i] - '0');
                                break;
                            case ' ':
                                continue;
                            default:
                                return -1;
                        }
                    }

                    return result;
                }

                public record Summary(string Name, int Rows, DateTime At);

                public Summary Summarize(string name, IReadOnlyCollection<int> rows) => new(name, rows.Sum(), DateTime.UtcNow);
            }
            """;
    }

    /// <summary>The whole corpus: the pools file and <paramref name="services"/> service files.</summary>
    public static IEnumerable<string> Corpus(int services)
    {
        yield return PoolsFile();
        for (int i = 0; i < services; i++)
        {
            yield return ServiceFile(i);
        }
    }
}
