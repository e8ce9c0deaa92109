using Microsoft.CodeAnalysis;
using PoolGen.Generators.Tests.Infrastructure;

namespace PoolGen.Generators.Tests;

/// <summary>
/// A class that cannot be a pool gets no generated code and the generator neither throws nor reports anything:
/// the analyzer explains the problem.
/// </summary>
public sealed class InvalidInputTests
{
    [Fact]
    public void Generate_WhenClassIsNotPartial_EmitsNothing() => AssertEmitsNothing("""
        [ConnectionPool]
        public class Db
        {
            private FakeConnection Create() => new FakeConnection();
        }
        """);

    [Fact]
    public void Generate_WhenContainingTypeIsNotPartial_EmitsNothing() => AssertEmitsNothing("""
        public class Outer
        {
            [ConnectionPool]
            public partial class Db
            {
                private FakeConnection Create() => new FakeConnection();
            }
        }
        """);

    [Fact]
    public void Generate_WhenClassHasNoFactory_EmitsNothing() => AssertEmitsNothing("""
        [ConnectionPool]
        public partial class Db
        {
            private FakeConnection Open() => new FakeConnection();
        }
        """);

    [Fact]
    public void Generate_WhenTwoMethodsFollowTheFactoryConvention_EmitsNothing() => AssertEmitsNothing("""
        [ConnectionPool]
        public partial class Db
        {
            private FakeConnection Create() => new FakeConnection();
            private FakeConnection CreateConnection() => new FakeConnection();
        }
        """);

    [Fact]
    public void Generate_WhenTwoMethodsAreMarkedPoolFactory_EmitsNothing() => AssertEmitsNothing("""
        [ConnectionPool]
        public partial class Db
        {
            [PoolFactory] private FakeConnection Open() => new FakeConnection();
            [PoolFactory] private FakeConnection Connect() => new FakeConnection();
        }
        """);

    [Fact]
    public void Generate_WhenFactoryNamedByAttributeIsMissing_EmitsNothing() => AssertEmitsNothing("""
        [ConnectionPool(Factory = "Missing")]
        public partial class Db
        {
            private FakeConnection Create() => new FakeConnection();
        }
        """);

    [Fact]
    public void Generate_WhenValidateNamesMissingMethod_EmitsNothing() => AssertEmitsNothing("""
        [ConnectionPool(Validate = "IsAlive")]
        public partial class Db
        {
            private FakeConnection Create() => new FakeConnection();
        }
        """);

    [Fact]
    public void Generate_WhenValidateHasWrongSignature_EmitsNothing() => AssertEmitsNothing("""
        [ConnectionPool(Validate = nameof(IsAlive))]
        public partial class Db
        {
            private FakeConnection Create() => new FakeConnection();
            private static int IsAlive(FakeConnection connection) => 1;
        }
        """);

    [Fact]
    public void Generate_WhenSyncValidateTakesToken_EmitsNothing() => AssertEmitsNothing("""
        [ConnectionPool(Validate = nameof(IsAlive))]
        public partial class Db
        {
            private FakeConnection Create() => new FakeConnection();
            private static bool IsAlive(FakeConnection connection, System.Threading.CancellationToken token) => true;
        }
        """);

    [Fact]
    public void Generate_WhenResetTakesUnrelatedType_EmitsNothing() => AssertEmitsNothing("""
        [ConnectionPool(Reset = nameof(Clean))]
        public partial class Db
        {
            private FakeConnection Create() => new FakeConnection();
            private static void Clean(string connection) { }
        }
        """);

    [Fact]
    public void Generate_WhenCloseNamesMissingMethod_EmitsNothing() => AssertEmitsNothing("""
        [ConnectionPool(Close = "Shutdown")]
        public partial class Db
        {
            private FakeConnection Create() => new FakeConnection();
        }
        """);

    [Fact]
    public void Generate_WhenClassIsGeneric_EmitsNothing() => AssertEmitsNothing("""
        [ConnectionPool]
        public partial class Db<T>
        {
            private FakeConnection Create() => new FakeConnection();
        }
        """);

    [Fact]
    public void Generate_WhenContainingTypeIsGeneric_EmitsNothing() => AssertEmitsNothing("""
        public partial class Outer<T>
        {
            [ConnectionPool]
            public partial class Db
            {
                private FakeConnection Create() => new FakeConnection();
            }
        }
        """);

    [Fact]
    public void Generate_WhenClassIsStatic_EmitsNothing() => AssertEmitsNothing("""
        [ConnectionPool]
        public static partial class Db
        {
            private static FakeConnection Create() => new FakeConnection();
        }
        """);

    [Fact]
    public void Generate_WhenClassIsFileLocal_EmitsNothing() => AssertEmitsNothing("""
        [ConnectionPool]
        file partial class Db
        {
            private FakeConnection Create() => new FakeConnection();
        }
        """);

    [Fact]
    public void Generate_WhenContainingTypeIsFileLocal_EmitsNothing() => AssertEmitsNothing("""
        file partial class Outer
        {
            [ConnectionPool]
            public partial class Db
            {
                private FakeConnection Create() => new FakeConnection();
            }
        }
        """);

    [Theory]
    [InlineData("public void Clear() { }")]
    [InlineData("public int Stats { get; set; }")]
    [InlineData("public FakeConnection Rent(string tenant) => new FakeConnection();")]
    [InlineData("public struct Lease { }")]
    [InlineData("private object? _poolEngine;")]
    [InlineData("private object? _poolEngineLock;")]
    [InlineData("public int Dispose;")]
    public void Generate_WhenAMemberIsNamedLikeAGeneratedOne_EmitsNothing(string member) => AssertEmitsNothing($$"""
        [ConnectionPool]
        public partial class Db
        {
            private FakeConnection Create() => new FakeConnection();

            {{member}}
        }
        """);

    [Fact]
    public void Generate_WhenClassWithItsOwnDisposeHasAMemberNamedDisposePool_EmitsNothing() => AssertEmitsNothing("""
        [ConnectionPool]
        public partial class Db
        {
            private FakeConnection Create() => new FakeConnection();

            public void Dispose() { }

            public void DisposePool() { }
        }
        """);

    [Fact]
    public void Generate_WhenFactoryReturnsValueType_EmitsNothing() => AssertEmitsNothing("""
        [ConnectionPool]
        public partial class Db
        {
            private int Create() => 42;
        }
        """);

    [Fact]
    public void Generate_WhenFactoryReturnsVoid_EmitsNothing() => AssertEmitsNothing("""
        [ConnectionPool]
        public partial class Db
        {
            private void Create() { }
        }
        """);

    [Fact]
    public void Generate_WhenFactoryReturnsUnknownType_EmitsNothing() => AssertEmitsNothing("""
        [ConnectionPool]
        public partial class Db
        {
            private NoSuchConnection Create() => null!;
        }
        """);

    [Fact]
    public void Generate_WhenFactoryTakesOtherParameters_EmitsNothing() => AssertEmitsNothing("""
        [ConnectionPool]
        public partial class Db
        {
            private FakeConnection Create(string connectionString) => new FakeConnection();
        }
        """);

    [Fact]
    public void Generate_WhenArgumentHasWrongType_EmitsNothing() => AssertEmitsNothing("""
        [ConnectionPool(Min = "x")]
        public partial class Db
        {
            private FakeConnection Create() => new FakeConnection();
        }
        """);

    [Fact]
    public void Generate_WhenArgumentIsNotConstant_EmitsNothing() => AssertEmitsNothing("""
        [ConnectionPool(Max = System.Environment.ProcessorCount)]
        public partial class Db
        {
            private FakeConnection Create() => new FakeConnection();
        }
        """);

    [Fact]
    public void Generate_WhenSizesAreOutOfRange_EmitsThemAsWritten()
    {
        string generated = GeneratorHarness.RunSingle(Wrap("""
            [ConnectionPool(Min = -1, Max = 0)]
            public partial class Db
            {
                private FakeConnection Create() => new FakeConnection();
            }
            """), Sources.FakeConnection).SourceText.ToString();

        // Range checks belong to the analyzer and to PoolOptions.Validate at runtime.
        Assert.Contains("Min = -1,", generated);
        Assert.Contains("Max = 0,", generated);
    }

    private static void AssertEmitsNothing(string classSource)
    {
        (GeneratorRunResult result, _) = GeneratorHarness.Run(TestCompilation.Create(Wrap(classSource), Sources.FakeConnection));

        Assert.Empty(result.GeneratedSources);
    }

    private static string Wrap(string classSource) => "using Fakes;\nusing PoolGen;\n\nnamespace Shop.Data;\n\n" + classSource;
}
