using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace PoolGen.Benchmarks;

/// <summary>
/// The design of Npgsql's and SqlClient v2's pools, reduced to its core: the idle items live in a bounded channel,
/// a rent is <c>TryRead</c> (or <c>ReadAsync</c> when none is idle) and a return is <c>TryWrite</c>, which hands the
/// item straight to a waiting reader when there is one. All items exist from the start, so the channel never fills.
/// </summary>
public sealed class ChannelPool<T>
    where T : class
{
    private readonly Channel<T> _idle;

    public ChannelPool(IReadOnlyCollection<T> items)
    {
        _idle = Channel.CreateBounded<T>(new BoundedChannelOptions(items.Count)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
        foreach (T item in items)
        {
            Return(item);
        }
    }

    public T Rent() =>
        _idle.Reader.TryRead(out T? item) ? item : _idle.Reader.ReadAsync().AsTask().GetAwaiter().GetResult();

    public ValueTask<T> RentAsync(CancellationToken cancellationToken = default) =>
        _idle.Reader.TryRead(out T? item) ? new ValueTask<T>(item) : _idle.Reader.ReadAsync(cancellationToken);

    public void Return(T item)
    {
        if (!_idle.Writer.TryWrite(item))
        {
            throw new InvalidOperationException("The channel pool is full: an item was returned twice.");
        }
    }
}
