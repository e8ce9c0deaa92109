using System.Collections.Generic;

namespace PoolGen.Generators.Tests;

/// <summary>One shape of user code, and how the compile-and-run tests create and dispose its pool.</summary>
/// <param name="Name">The shape's name, as shown in test results.</param>
/// <param name="Source">The user's class.</param>
/// <param name="NewPool">An expression that creates the pool.</param>
/// <param name="DisposeAsync">The generated method that disposes the pool asynchronously.</param>
public sealed record PoolShape(string Name, string Source, string NewPool, string DisposeAsync = "DisposeAsync")
{
    public override string ToString() => Name;

    public static IEnumerable<object[]> All()
    {
        PoolShape[] shapes =
        {
            new("SyncFactoryWithValidate", Sources.SyncFactoryWithValidate, "new Shop.Data.OrdersDb(\"Data Source=:memory:\")"),
            new("AsyncFactoryWithTokenValidateAndReset", Sources.AsyncFactoryWithTokenValidateAndReset, "new Shop.Data.AsyncDb()"),
            new("TaskFactory", Sources.TaskFactory, "new Shop.Data.TaskDb()"),
            new("PoolFactoryAttribute", Sources.PoolFactoryAttribute, "new Shop.Data.MarkedDb()"),
            new("FactoryNamedByAttribute", Sources.FactoryNamedByAttribute, "new Shop.Data.NamedDb()"),
            new("NestedClass", Sources.NestedClass, "new Shop.Data.Databases.Group.Inner()"),
            new("GlobalNamespace", Sources.GlobalNamespace, "new GlobalDb()"),
            new("FileScopedNamespace", Sources.FileScopedNamespace, "new Shop.FileScoped.ScopedDb()"),
            new("CustomClose", Sources.CustomClose, "new Shop.Data.ClosingDb()"),
            new("ConnectionWithoutDispose", Sources.ConnectionWithoutDispose, "new Shop.Data.ChannelPool()"),
            new("UserDeclaredDispose", Sources.UserDeclaredDispose, "new Shop.Data.OwningDb()", "DisposePoolAsync"),
            new("InterfaceConnection", Sources.InterfaceConnection, "new Shop.Data.AnyDb()"),
            new("DbConnection", Sources.DbConnection, "new Shop.Data.ReportsDb()"),
        };

        foreach (PoolShape shape in shapes)
        {
            yield return new object[] { shape };
        }
    }
}
