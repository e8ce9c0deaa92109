using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace PoolGen.Generators.Tests.Infrastructure;

/// <summary>
/// Compares text with <c>Snapshots/{name}.verified.cs</c>. On a mismatch, or when the file is missing, it writes
/// <c>{name}.received.cs</c> beside it and fails; review the received file and rename it to accept it.
/// </summary>
internal static partial class Snapshot
{
    public static void Verify(string actual, [CallerMemberName] string name = "", [CallerFilePath] string callerFile = "")
    {
        string folder = Path.Combine(Path.GetDirectoryName(callerFile)!, "Snapshots");
        string verifiedPath = Path.Combine(folder, name + ".verified.cs");
        string receivedPath = Path.Combine(folder, name + ".received.cs");
        string received = Normalize(actual);

        if (File.Exists(verifiedPath) && Normalize(File.ReadAllText(verifiedPath)) == received)
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(receivedPath, received);
        string reason = File.Exists(verifiedPath) ? "differs from" : "has no";
        Assert.Fail(
            $"The generated source {reason} snapshot '{name}.verified.cs'. Review {receivedPath} and, if it is right, " +
            $"accept it by renaming it to {name}.verified.cs.");
    }

    // Line endings follow the machine's git settings, and the generator's version changes with every release;
    // neither is what a snapshot is about.
    private static string Normalize(string text) =>
        GeneratedCodeVersion().Replace(text.Replace("\r\n", "\n"), "GeneratedCode(\"PoolGen.Generators\", \"VERSION\")");

    [GeneratedRegex("GeneratedCode\\(\"PoolGen\\.Generators\", \"[^\"]*\"\\)")]
    private static partial Regex GeneratedCodeVersion();
}
