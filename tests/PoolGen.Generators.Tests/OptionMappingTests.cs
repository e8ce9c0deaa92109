using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using PoolGen.Generators.Parsing;
using PoolGen.Generators.Tests.Infrastructure;

namespace PoolGen.Generators.Tests;

/// <summary>
/// Every property of <see cref="ConnectionPoolAttribute"/> reaches the pool: it is either one the generator reads itself
/// (a method name, the state check) or it maps to the <see cref="PoolOptions"/> property of the same name and type. A
/// new attribute property without its option fails here, instead of being dropped silently.
/// </summary>
public sealed class OptionMappingTests
{
    [Fact]
    public void EveryAttributeProperty_IsALifecyclePropertyOrMapsToAnOption()
    {
        Compilation compilation = TestCompilation.Create();
        INamedTypeSymbol attribute = compilation.GetTypeByMetadataName(TypeNames.ConnectionPoolAttribute)!;
        INamedTypeSymbol? options = OptionMapper.FindOptionsType(attribute);
        Assert.NotNull(options);

        var unmapped = new List<string>();
        foreach (IPropertySymbol property in attribute.GetMembers().OfType<IPropertySymbol>().Where(p => p.SetMethod is not null))
        {
            bool lifecycle = AttributeSettings.LifecycleProperties.Contains(property.Name);
            bool option = OptionMapper.FindOption(options, property) is not null;
            if (lifecycle == option)
            {
                unmapped.Add(lifecycle
                    ? $"{property.Name} is read by AttributeSettings and also has a PoolOptions property: it would be set twice."
                    : $"{property.Name} ({property.Type}) has no public settable PoolOptions property of the same name and type, so the user's value would be dropped.");
            }
        }

        Assert.Empty(unmapped);
    }

    [Fact]
    public void LifecycleProperties_AreAllOnTheAttribute()
    {
        string[] attributeProperties = typeof(ConnectionPoolAttribute).GetProperties().Select(p => p.Name).ToArray();

        Assert.All(AttributeSettings.LifecycleProperties, name => Assert.Contains(name, attributeProperties));
    }

    [Fact]
    public async Task EveryOptionSetOnTheAttribute_ReachesConfigurePool()
    {
        PropertyInfo[] mapped = MappedProperties();
        var defaults = new ConnectionPoolAttribute();
        string arguments = string.Join(", ", mapped.Select(p => $"{p.Name} = {Literal(Changed(p.GetValue(defaults)))}"));
        string source = $$"""
            using Fakes;
            using PoolGen;

            [ConnectionPool({{arguments}})]
            public partial class EveryOptionDb
            {
                public static PoolOptions? Seen;

                private static FakeConnection Create() => new FakeConnection();

                partial void ConfigurePool(PoolOptions options) => Seen = options;
            }

            public static class Scenario
            {
                public static async System.Threading.Tasks.Task<string> RunAsync()
                {
                    await using var pool = new EveryOptionDb();
                    _ = pool.Stats;
                    return string.Join(";", System.Linq.Enumerable.Select(
                        typeof(PoolOptions).GetProperties(),
                        p => p.Name + "=" + System.Convert.ToString(p.GetValue(EveryOptionDb.Seen), System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
            """;

        (_, Compilation output) = GeneratorHarness.Run(TestCompilation.Create(source, Sources.FakeConnection));
        Dictionary<string, string> seen = (await ScenarioRunner.RunAsync(output))
            .Split(';')
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);

        Assert.True(mapped.Length >= 17, $"only {mapped.Length} options mapped");
        Assert.All(mapped, property => Assert.Equal(
            Convert.ToString(Changed(property.GetValue(defaults)), CultureInfo.InvariantCulture),
            seen[property.Name]));
    }

    // The attribute's properties that PoolOptions has too, with the same type: what the generator copies.
    private static PropertyInfo[] MappedProperties() =>
        typeof(ConnectionPoolAttribute).GetProperties()
            .Where(p => p.CanWrite && typeof(PoolOptions).GetProperty(p.Name)?.PropertyType == p.PropertyType)
            .ToArray();

    // A value in range that differs from the default, so a dropped setting shows.
    private static object Changed(object? value) => value switch
    {
        int number => number + 1,
        double number => number + 1,
        bool flag => !flag,
        _ => throw new NotSupportedException($"No test value for an option of type {value?.GetType()}."),
    };

    private static string Literal(object value) => value switch
    {
        bool flag => flag ? "true" : "false",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };
}
