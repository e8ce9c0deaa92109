namespace PoolGen.Sample.Data;

/// <summary>
/// The sample's two tables. Names carry a prefix so a run against a shared PostgreSQL database works in tables of its
/// own; the column types are the only part that differs between SQLite and PostgreSQL.
/// </summary>
/// <param name="Customers">The customers table's name.</param>
/// <param name="Orders">The orders table's name.</param>
/// <param name="IdentityColumn">The column definition of an auto-numbered primary key in this database.</param>
public sealed record Schema(string Customers, string Orders, string IdentityColumn)
{
    /// <summary>Customers the seed creates; the workload picks among them at random.</summary>
    public const int CustomerCount = 100;

    /// <summary>Orders the seed creates before the workload starts.</summary>
    public const int SeedOrders = 1_000;

    /// <summary>Tables for an SQLite file of their own.</summary>
    public static Schema ForSqlite() => new("customers", "orders", "INTEGER PRIMARY KEY");

    /// <summary>Tables named <c>{prefix}_customers</c> and <c>{prefix}_orders</c> in a PostgreSQL database.</summary>
    public static Schema ForPostgres(string prefix) =>
        new($"{prefix}_customers", $"{prefix}_orders", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY");

    /// <summary>The statements that create both tables and the index the reads use.</summary>
    public string[] CreateStatements() =>
    [
        $"CREATE TABLE {Customers} (id {IdentityColumn}, name TEXT NOT NULL, order_count BIGINT NOT NULL DEFAULT 0)",
        $"CREATE TABLE {Orders} (id {IdentityColumn}, customer_id BIGINT NOT NULL REFERENCES {Customers} (id), amount_cents BIGINT NOT NULL, placed_at TEXT NOT NULL)",
        $"CREATE INDEX {Orders}_by_customer ON {Orders} (customer_id, id)",
    ];

    /// <summary>The statements that remove both tables.</summary>
    public string[] DropStatements() =>
    [
        $"DROP TABLE IF EXISTS {Orders}",
        $"DROP TABLE IF EXISTS {Customers}",
    ];
}
