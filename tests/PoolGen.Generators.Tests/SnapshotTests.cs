using Microsoft.CodeAnalysis;
using PoolGen.Generators.Tests.Infrastructure;

namespace PoolGen.Generators.Tests;

/// <summary>
/// The generated source of each supported shape, compared with the reviewed files in <c>Snapshots/</c>.
/// A change to the emitter shows up here as a diff to review.
/// </summary>
public sealed class SnapshotTests
{
    [Fact]
    public void Generate_WithSyncFactoryAndValidate_MatchesSnapshot() =>
        Snapshot.Verify(Generate(Sources.SyncFactoryWithValidate));

    [Fact]
    public void Generate_WithAsyncFactoryTakingTokenAndAsyncValidateAndReset_MatchesSnapshot() =>
        Snapshot.Verify(Generate(Sources.AsyncFactoryWithTokenValidateAndReset));

    [Fact]
    public void Generate_WithFactoryTakingAnEndpointAndARoleCheck_EmitsAMultiHostPool() =>
        Snapshot.Verify(Generate(Sources.MultiHost));

    [Fact]
    public void Generate_WithTaskFactoryAndEveryOption_MatchesSnapshot() =>
        Snapshot.Verify(Generate(Sources.TaskFactory));

    [Fact]
    public void Generate_WithPoolFactoryAttribute_UsesTheMarkedMethod() =>
        Snapshot.Verify(Generate(Sources.PoolFactoryAttribute));

    [Fact]
    public void Generate_WithFactoryNamedByAttribute_UsesTheUsableOverload() =>
        Snapshot.Verify(Generate(Sources.FactoryNamedByAttribute));

    [Fact]
    public void Generate_WithNestedClass_ReopensEveryContainingType() =>
        Snapshot.Verify(Generate(Sources.NestedClass));

    [Fact]
    public void Generate_InGlobalNamespace_EmitsNoNamespace() =>
        Snapshot.Verify(Generate(Sources.GlobalNamespace));

    [Fact]
    public void Generate_WithFileScopedNamespace_EmitsBlockNamespace() =>
        Snapshot.Verify(Generate(Sources.FileScopedNamespace));

    [Fact]
    public void Generate_WithCustomClose_CallsItInsteadOfDispose() =>
        Snapshot.Verify(Generate(Sources.CustomClose));

    [Fact]
    public void Generate_WhenConnectionHasNoDispose_ClosesNothing() =>
        Snapshot.Verify(Generate(Sources.ConnectionWithoutDispose));

    [Fact]
    public void Generate_WhenClassDeclaresDispose_EmitsDisposePool() =>
        Snapshot.Verify(Generate(Sources.UserDeclaredDispose));

    [Fact]
    public void Generate_WithInterfaceConnectionType_DisposesThroughTheInterface() =>
        Snapshot.Verify(Generate(Sources.InterfaceConnection));

    [Fact]
    public void Generate_WithDbConnection_ChecksTheConnectionState() =>
        Snapshot.Verify(Generate(Sources.DbConnection));

    [Theory]
    [InlineData(Sources.SyncFactoryWithValidate, "Shop.Data.OrdersDb.ConnectionPool.g.cs")]
    [InlineData(Sources.NestedClass, "Shop.Data.Databases.Group.Inner.ConnectionPool.g.cs")]
    [InlineData(Sources.GlobalNamespace, "GlobalDb.ConnectionPool.g.cs")]
    [InlineData(Sources.FileScopedNamespace, "Shop.FileScoped.ScopedDb.ConnectionPool.g.cs")]
    public void Generate_NamesTheFileAfterTheClass(string source, string expectedHintName)
    {
        GeneratedSourceResult generated = GeneratorHarness.RunSingle(source, Sources.FakeConnection);

        Assert.Equal(expectedHintName, generated.HintName);
    }

    private static string Generate(string source) =>
        GeneratorHarness.RunSingle(source, Sources.FakeConnection).SourceText.ToString();
}
