using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PoolGen.Generators;

namespace PoolGen.Analyzers.Tests.Infrastructure;

/// <summary>Builds compilations of user code the way a .NET 10 project that references PoolGen would, generator included.</summary>
internal static class TestCompilation
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    public static readonly ImmutableArray<MetadataReference> References =
        Net100.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(ConnectionPoolAttribute).Assembly.Location))
            .ToImmutableArray();

    public static readonly CSharpCompilationOptions Options = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        // The SDK's defaults: a reference built against a newer System.Runtime is fine.
        specificDiagnosticOptions: new Dictionary<string, ReportDiagnostic>
        {
            ["CS1701"] = ReportDiagnostic.Suppress,
            ["CS1702"] = ReportDiagnostic.Suppress,
        });

    /// <summary>Common usings and a connection type, so each test's source shows only what it is about.</summary>
    public const string Prelude = """
        global using System;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using PoolGen;

        public sealed class FakeConnection : IDisposable
        {
            public bool IsOpen => true;

            public void Close() { }

            public void Dispose() { }
        }

        [ConnectionPool]
        public sealed partial class Db
        {
            private FakeConnection Create() => new FakeConnection();
        }
        """;

    /// <summary>User code (with <see cref="Prelude"/>) plus whatever the generator adds to it.</summary>
    public static (Compilation Compilation, int GeneratedFiles) CreateWithGenerated(params string[] sources)
    {
        CSharpCompilation compilation = CSharpCompilation.Create(
            "PoolGen.UserCode",
            sources.Prepend(Prelude).Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: i == 0 ? "Prelude.cs" : $"User{i}.cs")),
            References,
            Options);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new ConnectionPoolGenerator().AsSourceGenerator() }, parseOptions: ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        return (output, driver.GetRunResult().Results.Single().GeneratedSources.Length);
    }
}
