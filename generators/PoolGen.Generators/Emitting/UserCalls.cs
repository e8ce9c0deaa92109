using PoolGen.Generators.Model;

namespace PoolGen.Generators.Emitting;

/// <summary>Writes calls to the user's methods from inside the policy struct.</summary>
internal sealed class UserCalls
{
    private readonly string _fullTypeName;

    public UserCalls(string fullTypeName) => _fullTypeName = fullTypeName;

    /// <summary>
    /// <c>_owner.M(args)</c> for instance methods; static ones through the class's full name, since a bare <c>Create()</c>
    /// inside the policy would call the policy's own <c>Create</c>. A multi-host pool's factory gets the policy's endpoint first.
    /// </summary>
    public string Call(UserMethodModel method, string? argument, string token)
    {
        string target = method.IsStatic ? _fullTypeName : "_owner";
        if (method.TakesEndpoint)
        {
            argument = argument is null ? "_endpoint" : "_endpoint, " + argument;
        }

        string arguments = (argument, method.TakesCancellationToken) switch
        {
            (null, false) => string.Empty,
            (null, true) => token,
            (_, false) => argument,
            (_, true) => $"{argument}, {token}",
        };
        return $"{target}.{method.Name}({arguments})";
    }
}
