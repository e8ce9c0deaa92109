using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;

namespace PoolGen.Generators.Tests.Infrastructure;

/// <summary>Emits a compilation of user code and runs its <c>Scenario.RunAsync()</c>, which returns a string.</summary>
internal static class ScenarioRunner
{
    public static async Task<string> RunAsync(Compilation compilation)
    {
        using var image = new MemoryStream();
        EmitResult emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        image.Position = 0;

        // Collectible, so each test's assembly is unloaded; PoolGen and Sqlite resolve from the test's own context.
        var context = new AssemblyLoadContext("PoolGen.UserCode", isCollectible: true);
        try
        {
            Assembly assembly = context.LoadFromStream(image);
            MethodInfo run = assembly.GetType("Scenario")!.GetMethod("RunAsync")!;
            return await (Task<string>)run.Invoke(null, null)!;
        }
        finally
        {
            context.Unload();
        }
    }
}
