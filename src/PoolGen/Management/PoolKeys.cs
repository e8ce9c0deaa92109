using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Text.RegularExpressions;

namespace PoolGen;

/// <summary>
/// How a pool key appears in pool names and logs: as written, except that a connection string's secrets (password,
/// token, key) are replaced by <c>***</c>, so that per-key pool names can go into logs and metrics.
/// </summary>
public static partial class PoolKeys
{
    private const string Hidden = "***";

    // Keys of the common providers that hold a secret; compared without case.
    private static readonly HashSet<string> SecretKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "Password", "Pwd", "User Password", "Access Token", "AccessToken", "Token", "Secret", "Client Secret",
        "Api Key", "ApiKey", "Account Key", "AccountKey", "SharedAccessKey", "Shared Access Key", "SSL Password",
    };

    /// <summary>The key as text, with the secrets of a connection string hidden.</summary>
    /// <param name="key">The key; a string that reads as a connection string is redacted, anything else is formatted as is.</param>
    public static string Describe(object key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string text = key as string ?? key.ToString() ?? string.Empty;
        return text.Contains('=', StringComparison.Ordinal) ? Redact(text) : text;
    }

    /// <summary>A connection string with the value of every secret key replaced by <c>***</c>; other text is returned unchanged.</summary>
    /// <param name="connectionString">The connection string.</param>
    public static string Redact(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        DbConnectionStringBuilder builder;
        try
        {
            builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        }
        catch (ArgumentException)
        {
            // Not a well-formed connection string (an unbalanced quote, say): hide what follows any secret key all the same.
            return SecretAssignment().Replace(connectionString, m => m.Groups["key"].Value + "=" + Hidden);
        }

        bool hidden = false;
        foreach (string name in new List<string>(CollectionKeys(builder)))
        {
            if (SecretKeys.Contains(name))
            {
                builder[name] = Hidden;
                hidden = true;
            }
        }

        return hidden ? builder.ConnectionString : connectionString;
    }

    private static IEnumerable<string> CollectionKeys(DbConnectionStringBuilder builder)
    {
        foreach (object name in builder.Keys)
        {
            yield return (string)name;
        }
    }

    [GeneratedRegex(@"(?<key>\b(?:password|pwd|user password|access ?token|token|secret|client secret|api ?key|account ?key|shared ?access ?key))\s*=\s*(""[^""]*""?|'[^']*'?|[^;]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretAssignment();
}
