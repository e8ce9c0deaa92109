// What the service files below build on: a Dapper-style query surface as extension methods over the connection, a
// transaction, and stand-ins for ASP.NET Core's results, routes and hosted services (the tests reference no ASP.NET).
using System.Collections.Generic;
using System.Linq;

namespace Valid;

public sealed record Order(int Id, string Customer, decimal Total);

public sealed class Transaction : IDisposable
{
    public void Commit()
    {
    }

    public void Rollback()
    {
    }

    public void Dispose()
    {
    }
}

public static class SqlMapper
{
    public static int Execute(this FakeConnection connection, string sql, object? parameters = null, Transaction? transaction = null) =>
        connection.IsOpen ? sql.Length : 0;

    public static Task<int> ExecuteAsync(this FakeConnection connection, string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(connection.Execute(sql, parameters));

    public static IEnumerable<T> Query<T>(this FakeConnection connection, string sql, object? parameters = null) => Array.Empty<T>();

    public static Task<IEnumerable<T>> QueryAsync<T>(this FakeConnection connection, string sql, object? parameters = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(connection.Query<T>(sql, parameters));

    public static Task<T?> QuerySingleOrDefaultAsync<T>(this FakeConnection connection, string sql, object? parameters = null) =>
        Task.FromResult(default(T));

    public static Transaction BeginTransaction(this FakeConnection connection) => new Transaction();
}

public abstract record Result;

public sealed record Ok(object? Value) : Result;

public sealed record NotFound : Result;

public sealed record Problem(string Detail) : Result;

public static class Results
{
    public static Result Ok(object? value = null) => new Ok(value);

    public static Result NotFound() => new NotFound();

    public static Result Problem(string detail) => new Problem(detail);
}

public sealed class RouteTable
{
    private readonly Dictionary<string, Delegate> _routes = new();

    public RouteTable MapGet(string pattern, Delegate handler)
    {
        _routes[pattern] = handler;
        return this;
    }

    public RouteTable MapPost(string pattern, Delegate handler) => MapGet("POST " + pattern, handler);
}

public abstract class BackgroundService
{
    protected abstract Task ExecuteAsync(CancellationToken stoppingToken);

    public Task StartAsync(CancellationToken cancellationToken) => ExecuteAsync(cancellationToken);
}

public interface ILog
{
    void Error(Exception exception, string message);

    void Info(string message);
}
