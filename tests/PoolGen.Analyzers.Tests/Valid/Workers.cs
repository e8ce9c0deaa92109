// Background loops and retries as hosted services write them: a lease per turn, cancellation ends the loop, a failed
// turn is logged and retried after a pause, a busy pool is waited out a few times before giving up.
using System.Collections.Generic;

namespace Valid;

public sealed class OutboxWorker : BackgroundService
{
    private readonly OrdersDb _db;
    private readonly ILog _log;

    public OutboxWorker(OrdersDb db, ILog log)
    {
        _db = db;
        _log = log;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var lease = await _db.RentAsync(stoppingToken);
                int sent = await lease.Connection.ExecuteAsync("update outbox set sent = 1 where sent = 0", cancellationToken: stoppingToken);
                if (sent == 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                _log.Error(exception, "The outbox turn failed; retrying.");
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }
}

public sealed class CleanupWorker : BackgroundService
{
    private readonly OrdersDb _db;

    public CleanupWorker(OrdersDb db) => _db = db;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            OrdersDb.Lease lease = await _db.RentAsync(stoppingToken);
            try
            {
                await lease.Connection.ExecuteAsync("delete from sessions where expired = 1", cancellationToken: stoppingToken);
            }
            finally
            {
                await lease.DisposeAsync();
            }
        }
    }
}

public sealed class Retries
{
    private readonly OrdersDb _db = new OrdersDb();

    // A rent that times out is retried; the lease of the attempt that succeeds is disposed by the using.
    public int CountWithRetry(int attempts)
    {
        for (int attempt = 1; ; attempt++)
        {
            OrdersDb.Lease lease;
            try
            {
                lease = _db.Rent(TimeSpan.FromMilliseconds(200));
            }
            catch (PoolTimeoutException) when (attempt < attempts)
            {
                continue;
            }

            using (lease)
            {
                return lease.Connection.Execute("select count(*) from orders");
            }
        }
    }

    // A command that fails is retried on a fresh connection: the broken one is invalidated, not reused.
    public async Task<int> ExecuteWithRetryAsync(string sql, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            await using var lease = await _db.RentAsync(cancellationToken);
            try
            {
                return await lease.Connection.ExecuteAsync(sql, cancellationToken: cancellationToken);
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                lease.Invalidate();
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken);
            }
        }
    }

    // Polls with TryRent until a connection is free, then uses it; gives up after a few tries.
    public async Task<bool> PollAsync(CancellationToken cancellationToken)
    {
        OrdersDb.Lease lease = default;
        bool rented = false;
        for (int attempt = 0; attempt < 5 && !rented; attempt++)
        {
            rented = _db.TryRent(out lease);
            if (!rented)
            {
                await Task.Delay(50, cancellationToken);
            }
        }

        if (!rented)
        {
            return false;
        }

        using (lease)
        {
            return lease.Connection.IsOpen;
        }
    }

    // The same, breaking out of the loop with the lease and checking IsActive afterwards.
    public async Task<bool> PollUntilActiveAsync(CancellationToken cancellationToken)
    {
        OrdersDb.Lease lease = default;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            if (_db.TryRent(out lease))
            {
                break;
            }

            await Task.Delay(50, cancellationToken);
        }

        if (!lease.IsActive)
        {
            throw new TimeoutException("No connection came free.");
        }

        using (lease)
        {
            return lease.Connection.IsOpen;
        }
    }
}

public sealed class Maintenance : IDisposable
{
    private readonly OrdersDb _db;
    private readonly Timer _timer;

    public Maintenance(OrdersDb db)
    {
        _db = db;
        _timer = new Timer(_ =>
        {
            using var lease = _db.Rent();
            lease.Connection.Execute("analyze");
        }, null, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));
    }

    // A health probe: a busy pool is an answer, not an error.
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await using var lease = await _db.RentAsync(timeout.Token);
            return lease.Connection.IsOpen;
        }
        catch (PoolTimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    // Batches in parallel, each with a lease of its own.
    public Task ImportAsync(IEnumerable<Order[]> batches, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(batches, cancellationToken, async (batch, token) =>
        {
            await using var lease = await _db.RentAsync(token);
            foreach (Order order in batch)
            {
                await lease.Connection.ExecuteAsync("insert into orders values (@Id, @Customer, @Total)", order, token);
            }
        });

    public void Dispose() => _timer.Dispose();
}
