using System;
using System.Threading.Tasks;
using PoolGen.ResourcePools.Buffers;
using PoolGen.ResourcePools.Compute;

namespace PoolGen.ResourcePools;

/// <summary>
/// Two pools of resources that are not connections, both declared with <c>[ConnectionPool]</c>: large buffers bounded
/// in number, and compute slots that admit CPU-heavy jobs by priority and refuse them under overload. Prints what each
/// did. Exit codes: 0 every check held, 1 one did not.
/// </summary>
internal static class Program
{
    public static async Task<int> Main()
    {
        bool buffers = await BufferDemo.RunAsync();
        Console.WriteLine();
        bool compute = await ComputeDemo.RunAsync(Environment.ProcessorCount);
        Console.WriteLine();
        Console.WriteLine(buffers && compute ? "All checks held." : "A check failed: see UNEXPECTED above.");
        return buffers && compute ? 0 : 1;
    }
}
