using System;
using System.Data.Common;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen.Sample.Data;

/// <summary>
/// The sample's SQL, written once against <see cref="DbConnection"/> so SQLite and PostgreSQL run the same statements.
/// Every method works on a connection the caller has rented and still holds.
/// </summary>
public static class OrderQueries
{
    /// <summary>Places an order and bumps the customer's order count, in one transaction.</summary>
    public static async Task<long> PlaceOrderAsync(
        DbConnection connection, Schema schema, long customerId, long amountCents, CancellationToken cancellationToken)
    {
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        long orderId;
        await using (DbCommand insert = Command(
            connection,
            transaction,
            $"INSERT INTO {schema.Orders} (customer_id, amount_cents, placed_at) VALUES (@customer, @amount, @placed) RETURNING id",
            ("customer", customerId),
            ("amount", amountCents),
            ("placed", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture))))
        {
            orderId = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        await using (DbCommand update = Command(
            connection,
            transaction,
            $"UPDATE {schema.Customers} SET order_count = order_count + 1 WHERE id = @customer",
            ("customer", customerId)))
        {
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return orderId;
    }

    /// <summary>How many orders a customer has and what they add up to.</summary>
    public static async Task<(long Orders, long TotalCents)> CustomerTotalsAsync(
        DbConnection connection, Schema schema, long customerId, CancellationToken cancellationToken)
    {
        await using DbCommand command = Command(
            connection,
            null,
            $"SELECT COUNT(*), CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM {schema.Orders} WHERE customer_id = @customer",
            ("customer", customerId));
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>The amounts of a customer's five latest orders, newest first.</summary>
    public static async Task<int> RecentOrdersAsync(
        DbConnection connection, Schema schema, long customerId, CancellationToken cancellationToken)
    {
        await using DbCommand command = Command(
            connection,
            null,
            $"SELECT id, amount_cents FROM {schema.Orders} WHERE customer_id = @customer ORDER BY id DESC LIMIT 5",
            ("customer", customerId));
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        int rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            rows++;
        }

        return rows;
    }

    /// <summary>Orders in the table, and the sum of the customers' order counts: equal when no write was lost.</summary>
    public static async Task<(long Orders, long Counted)> ConsistencyAsync(
        DbConnection connection, Schema schema, CancellationToken cancellationToken)
    {
        await using DbCommand command = Command(
            connection,
            null,
            $"SELECT (SELECT COUNT(*) FROM {schema.Orders}), (SELECT CAST(COALESCE(SUM(order_count), 0) AS BIGINT) FROM {schema.Customers})");
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Creates the tables and fills them with customers and their first orders, in a few set-based statements.</summary>
    public static async Task SeedAsync(DbConnection connection, Schema schema, CancellationToken cancellationToken)
    {
        foreach (string statement in schema.CreateStatements())
        {
            await ExecuteAsync(connection, statement, cancellationToken);
        }

        // Recursive CTEs count the rows in both SQLite and PostgreSQL, so one statement seeds each table.
        string[] seed =
        [
            $"INSERT INTO {schema.Customers} (name) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Schema.CustomerCount}) SELECT 'Customer ' || i FROM n",
            $"INSERT INTO {schema.Orders} (customer_id, amount_cents, placed_at) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Schema.SeedOrders}) SELECT i % {Schema.CustomerCount} + 1, i * 7919 % 100000 + 100, '2026-01-01T00:00:00Z' FROM n",
            $"UPDATE {schema.Customers} SET order_count = (SELECT COUNT(*) FROM {schema.Orders} o WHERE o.customer_id = {schema.Customers}.id)",
        ];
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (string statement in seed)
        {
            await using DbCommand command = Command(connection, transaction, statement);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Runs one statement that returns no rows.</summary>
    public static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using DbCommand command = Command(connection, null, sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Command(
        DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach ((string name, object value) in parameters)
        {
            DbParameter parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
