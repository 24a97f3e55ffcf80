using System;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace NaraAuth.Core.Http;

public static class RetryAfterHeader
{
    public static TimeSpan? Read(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header == null) return null;
        if (header.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }
}
