using System.Diagnostics;
using System.Text;

namespace PoolGen.IntegrationTests.Infrastructure;

/// <summary>The outcome of one external command: how it ended and everything it printed.</summary>
internal sealed record ProcessResult(string CommandLine, int ExitCode, bool TimedOut, string Output, TimeSpan Elapsed)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>A block to paste into an assertion message, so a failure shows what the command said.</summary>
    public string Describe() =>
        $"$ {CommandLine}{Environment.NewLine}" +
        $"exit code {(TimedOut ? "none (killed after timing out)" : ExitCode.ToString())}, {Elapsed.TotalSeconds:0.0} s" +
        $"{Environment.NewLine}{Output}";
}

/// <summary>
/// Runs external commands (dotnet, initdb, pg_ctl) with a time limit, capturing stdout and stderr interleaved.
/// Every command is killed with its children when it outlives its limit: a test never hangs on a child process.
/// </summary>
internal static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        TimeSpan timeout,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach ((string name, string? value) in environment)
            {
                if (value is null)
                {
                    startInfo.Environment.Remove(name);
                }
                else
                {
                    startInfo.Environment[name] = value;
                }
            }
        }

        string commandLine = fileName + " " + string.Join(' ', arguments.Select(Quote));
        var output = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);

        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new ProcessResult(commandLine, -1, false, $"could not start '{fileName}': {ex.Message}", stopwatch.Elapsed);
        }

        process.StandardInput.Close(); // nothing reads a terminal: a command that asks a question fails at once
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var limit = new CancellationTokenSource(timeout);
        bool timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // it ended between the timeout and the kill
            }

            // Bounded: a grandchild that kept the output pipes open must not hang the test either.
            using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(drain.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        stopwatch.Stop();
        string text;
        lock (output)
        {
            text = output.ToString();
        }

        return new ProcessResult(commandLine, timedOut ? -1 : process.ExitCode, timedOut, text, stopwatch.Elapsed);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c == '"') ? argument : $"\"{argument}\"";
}
