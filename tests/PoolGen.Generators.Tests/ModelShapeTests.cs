using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using Microsoft.CodeAnalysis;
using PoolGen.Generators.Model;
using PoolGen.Generators.Parsing;
using PoolGen.Generators.Tests.Infrastructure;

namespace PoolGen.Generators.Tests;

/// <summary>
/// The model the pipeline caches is plain data: no Roslyn object (which would pin a whole compilation in memory and
/// never compare equal across edits) and no collection compared by reference.
/// </summary>
public sealed class ModelShapeTests
{
    private static readonly Type[] RoslynTypes =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(Compilation), typeof(SemanticModel),
        typeof(SyntaxToken), typeof(AttributeData), typeof(TypedConstant),
    };

    [Fact]
    public void Model_HoldsOnlyEquatablePlainData()
    {
        var problems = new List<string>();
        Check(typeof(PoolModel), "PoolModel", new HashSet<Type>(), problems);

        Assert.Empty(problems);
    }

    [Fact]
    public void Parse_SameSourceTwice_GivesEqualModels()
    {
        PoolModel first = Parse(Sources.AsyncFactoryWithTokenValidateAndReset, "Shop.Data.AsyncDb");
        PoolModel second = Parse(Sources.AsyncFactoryWithTokenValidateAndReset, "Shop.Data.AsyncDb");

        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Fact]
    public void Parse_DifferentSetting_GivesDifferentModels()
    {
        PoolModel first = Parse(Sources.SyncFactoryWithValidate, "Shop.Data.OrdersDb");
        PoolModel second = Parse(Sources.SyncFactoryWithValidate.Replace("Max = 16", "Max = 17"), "Shop.Data.OrdersDb");

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Parse_CheckConnectionStateTurnedOff_GivesDifferentModels()
    {
        PoolModel first = Parse(Sources.SyncFactoryWithValidate, "Shop.Data.OrdersDb");
        PoolModel second = Parse(Sources.SyncFactoryWithValidate.Replace("Max = 16", "Max = 16, CheckConnectionState = false"), "Shop.Data.OrdersDb");

        Assert.Equal(StateCheck.Member, first.Lifecycle.StateCheck);
        Assert.Equal(StateCheck.None, second.Lifecycle.StateCheck);
        Assert.NotEqual(first, second);
    }

    private static PoolModel Parse(string source, string typeName)
    {
        Compilation compilation = TestCompilation.Create(source, Sources.FakeConnection);
        INamedTypeSymbol type = compilation.GetTypeByMetadataName(typeName)!;
        AttributeData attribute = type.GetAttributes().Single(a => a.AttributeClass?.Name == "ConnectionPoolAttribute");
        PoolModel? model = PoolParser.Parse(type, attribute, compilation, CancellationToken.None);
        Assert.NotNull(model);
        return model;
    }

    private static void Check(Type type, string path, HashSet<Type> seen, List<string> problems)
    {
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || !seen.Add(type))
        {
            return;
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            Check(underlying, path, seen, problems);
            return;
        }

        if (RoslynTypes.Any(roslyn => roslyn.IsAssignableFrom(type)))
        {
            problems.Add($"{path} is a Roslyn {type.Name}.");
            return;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>))
        {
            Check(type.GetGenericArguments()[0], path + "[]", seen, problems);
            return;
        }

        if (type.IsArray || typeof(IEnumerable).IsAssignableFrom(type))
        {
            problems.Add($"{path} is a {type.Name}, compared by reference; use EquatableArray<T>.");
            return;
        }

        if (!typeof(IEquatable<>).MakeGenericType(type).IsAssignableFrom(type))
        {
            problems.Add($"{path} ({type.Name}) is not IEquatable<{type.Name}>.");
        }

        if (type.IsClass && !type.IsSealed)
        {
            problems.Add($"{path} ({type.Name}) is not sealed.");
        }

        foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            Check(field.FieldType, $"{path}.{field.Name}", seen, problems);
        }
    }
}
