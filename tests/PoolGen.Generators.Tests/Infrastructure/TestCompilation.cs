using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Data.Sqlite;

namespace PoolGen.Generators.Tests.Infrastructure;

/// <summary>Builds compilations of user source the way a .NET 10 project that references PoolGen would.</summary>
internal static class TestCompilation
{
    public static readonly CSharpParseOptions ParseOptions =
        new CSharpParseOptions(LanguageVersion.CSharp12).WithDocumentationMode(DocumentationMode.Diagnose);

    private static readonly ImmutableArray<MetadataReference> References =
        Net100.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(PoolEngine<,,>).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(SqliteConnection).Assembly.Location))
            .Concat(HostingReferences())
            .ToImmutableArray();

    // The README's dependency injection snippet uses PoolGen.Hosting and the abstractions its API names.
    private static IEnumerable<MetadataReference> HostingReferences() =>
        new[]
        {
            typeof(Microsoft.Extensions.DependencyInjection.ConnectionPoolServiceCollectionExtensions),
            typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection),
            typeof(Microsoft.Extensions.Configuration.IConfiguration),
            typeof(Microsoft.Extensions.DependencyInjection.HealthCheckServiceCollectionExtensions),
            typeof(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus),
            typeof(Microsoft.Extensions.Logging.ILogger),
        }.Select(type => type.Assembly.Location).Distinct().Select(path => (MetadataReference)MetadataReference.CreateFromFile(path));

    public static CSharpCompilation Create(params string[] sources) =>
        CSharpCompilation.Create(
            "PoolGen.UserCode",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"User{i}.cs")),
            References,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                // The SDK's defaults: a reference built against a newer System.Runtime is fine.
                specificDiagnosticOptions: new Dictionary<string, ReportDiagnostic>
                {
                    ["CS1701"] = ReportDiagnostic.Suppress,
                    ["CS1702"] = ReportDiagnostic.Suppress,
                }));
}
