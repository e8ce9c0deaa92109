using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;

namespace PoolGen;

/// <summary>
/// One server a multi-host pool connects to: a host and port, with an optional display name and a weight for
/// <see cref="WeightedBalancer"/>. The per-endpoint pool's factory receives it and connects there.
/// </summary>
[TypeConverter(typeof(PoolEndpointConverter))]
public sealed record PoolEndpoint
{
    /// <summary>Creates an endpoint.</summary>
    /// <param name="host">A host name or an IP address (IPv6 without brackets).</param>
    /// <param name="port">The TCP port, 1 to 65535.</param>
    /// <param name="name">How messages and stats name the endpoint; by default <c>host:port</c>.</param>
    /// <param name="weight">The endpoint's share for <see cref="WeightedBalancer"/>, 1 or more; default 1.</param>
    public PoolEndpoint(string host, int port, string? name = null, int weight = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, $"Endpoint '{host}': the port must be between 1 and 65535.");
        }

        if (weight < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, $"Endpoint '{host}:{port}': the weight must be 1 or more.");
        }

        Host = host;
        Port = port;
        Name = string.IsNullOrWhiteSpace(name) ? null : name;
        Weight = weight;
    }

    /// <summary>The host name or IP address.</summary>
    public string Host { get; }

    /// <summary>The TCP port.</summary>
    public int Port { get; }

    /// <summary>The display name given, or null when the endpoint is named by its address.</summary>
    public string? Name { get; }

    /// <summary>The endpoint's share for <see cref="WeightedBalancer"/>: an endpoint of weight 3 gets three rents for each one of an endpoint of weight 1.</summary>
    public int Weight { get; }

    /// <summary>The name, else <c>host:port</c> (<c>[v6-address]:port</c> for an IPv6 address).</summary>
    public override string ToString() =>
        Name ?? (Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}");

    /// <summary>
    /// Parses one endpoint: <c>host</c>, <c>host:port</c> or <c>[v6-address]:port</c>.
    /// </summary>
    /// <param name="text">The endpoint as written.</param>
    /// <param name="defaultPort">The port of an endpoint written without one (PostgreSQL's 5432 by default).</param>
    /// <exception cref="FormatException">The text is not an endpoint; the message quotes it.</exception>
    public static PoolEndpoint Parse(string text, int defaultPort = 5432)
    {
        ArgumentNullException.ThrowIfNull(text);
        string value = text.Trim();
        string host;
        string? port = null;
        if (value.StartsWith('['))
        {
            int close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Malformed(text, "an IPv6 address opened with '[' is not closed with ']'");
            }

            host = value[1..close];
            string rest = value[(close + 1)..];
            if (rest.Length > 0)
            {
                port = rest.StartsWith(':') ? rest[1..] : throw Malformed(text, "only ':port' may follow ']'");
            }
        }
        else
        {
            int colon = value.LastIndexOf(':');
            // Two colons or more without brackets: a bare IPv6 address, which has no port.
            bool bareV6 = colon >= 0 && value.IndexOf(':', StringComparison.Ordinal) != colon;
            (host, port) = colon < 0 || bareV6 ? (value, null) : (value[..colon], value[(colon + 1)..]);
        }

        if (host.Length == 0)
        {
            throw Malformed(text, "the host is empty");
        }

        int number = defaultPort;
        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number is < 1 or > 65535))
        {
            throw Malformed(text, $"the port '{port}' is not a number between 1 and 65535");
        }

        return new PoolEndpoint(host, number);
    }

    /// <summary>
    /// Parses a comma-separated list of endpoints, as in a connection string's <c>Host=a:5432,b:5433</c>; a leading
    /// <c>Host=</c> (or <c>Server=</c>) is accepted. Every endpoint must be different.
    /// </summary>
    /// <param name="hosts">The list, for example <c>db1:5432,db2:5433,[::1]:5434</c>.</param>
    /// <param name="defaultPort">The port of an endpoint written without one (PostgreSQL's 5432 by default).</param>
    /// <exception cref="FormatException">An entry is not an endpoint, the list is empty, or an endpoint appears twice.</exception>
    public static IReadOnlyList<PoolEndpoint> ParseList(string hosts, int defaultPort = 5432)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        string value = hosts.Trim();
        int equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals >= 0)
        {
            string key = value[..equals].Trim();
            if (!key.Equals("Host", StringComparison.OrdinalIgnoreCase) && !key.Equals("Server", StringComparison.OrdinalIgnoreCase))
            {
                throw Malformed(hosts, $"only 'Host=' or 'Server=' may precede the list, not '{key}='");
            }

            value = value[(equals + 1)..];
        }

        var endpoints = new List<PoolEndpoint>();
        foreach (string part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            PoolEndpoint endpoint = Parse(part, defaultPort);
            if (endpoints.Exists(e => e.Host.Equals(endpoint.Host, StringComparison.OrdinalIgnoreCase) && e.Port == endpoint.Port))
            {
                throw Malformed(hosts, $"{endpoint} appears twice");
            }

            endpoints.Add(endpoint);
        }

        return endpoints.Count > 0 ? endpoints : throw Malformed(hosts, "it names no endpoint");
    }

    private static FormatException Malformed(string text, string why) =>
        new($"'{text}' is not a list of endpoints: {why}. Write endpoints as host, host:port or [v6-address]:port, separated by commas.");
}
