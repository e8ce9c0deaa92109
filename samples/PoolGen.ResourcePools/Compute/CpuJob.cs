using System;
using System.Diagnostics;
using System.Security.Cryptography;

namespace PoolGen.ResourcePools.Compute;

/// <summary>A stand-in for CPU-heavy work: hashing for a fixed time, so the demo behaves alike on fast and slow machines.</summary>
public static class CpuJob
{
    /// <summary>Hashes a block over and over for <paramref name="duration"/>; returns how many blocks it hashed.</summary>
    public static int Hash(TimeSpan duration)
    {
        Span<byte> block = stackalloc byte[4096];
        Span<byte> digest = stackalloc byte[32];
        var clock = Stopwatch.StartNew();
        int blocks = 0;
        while (clock.Elapsed < duration)
        {
            SHA256.HashData(block, digest);
            digest.CopyTo(block);
            blocks++;
        }

        return blocks;
    }
}
