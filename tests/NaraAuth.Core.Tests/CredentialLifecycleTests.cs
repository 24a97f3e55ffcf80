using NaraAuth.Core.Errors;
using NaraAuth.Core.Platform;
using NaraAuth.Core.Status;

namespace NaraAuth.Core.Tests;

/// <summary>The review filters, the rotation age and the one-sentence action of each credential, without an engine.</summary>
public class CredentialLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static ServerTokenRecord Token(string id, int createdDaysAgo, int? usedDaysAgo) =>
        new(id, "name-" + id, Now.AddDays(-createdDaysAgo), usedDaysAgo is { } d ? Now.AddDays(-d) : null);

    [Fact]
    public void NotUsedSince_counts_a_token_never_used_as_not_used_and_a_recent_use_as_used()
    {
        var since = Now.AddDays(-90);
        Assert.True(ServerTokenReview.Matches(Token("never", 10, null), since, null));
        Assert.True(ServerTokenReview.Matches(Token("idle", 200, 120), since, null));
        Assert.False(ServerTokenReview.Matches(Token("busy", 200, 1), since, null));
        // Used exactly at the boundary counts as used since.
        Assert.False(ServerTokenReview.Matches(new ServerTokenRecord("edge", "e", Now.AddDays(-200), since), since, null));
    }

    [Fact]
    public void CreatedBefore_selects_old_tokens_and_never_one_without_a_creation_time()
    {
        var before = Now.AddDays(-90);
        Assert.True(ServerTokenReview.Matches(Token("old", 91, 1), null, before));
        Assert.False(ServerTokenReview.Matches(Token("new", 89, null), null, before));
        Assert.False(ServerTokenReview.Matches(new ServerTokenRecord("unknown", "u", null, null), null, before));
        Assert.True(ServerTokenReview.Matches(new ServerTokenRecord("unknown", "u", null, null), null, null));
    }

    [Fact]
    public void Both_filters_together_select_only_tokens_that_pass_both()
    {
        var tokens = new[] { Token("old-idle", 200, 150), Token("old-busy", 200, 1), Token("new-idle", 10, null) };
        var selected = tokens.Where(t => ServerTokenReview.Matches(t, Now.AddDays(-90), Now.AddDays(-90))).Select(t => t.Id);
        Assert.Equal(new[] { "old-idle" }, selected);
    }

    [Fact]
    public void Tokens_due_for_rotation_are_those_older_than_the_age_oldest_first()
    {
        var due = ServerTokenReview.DueForRotation(new[] { Token("a", 100, 1), Token("b", 30, null), Token("c", 400, null) }, TimeSpan.FromDays(90), Now);
        Assert.Equal(new[] { "c", "a" }, due.Select(t => t.Id));
    }

    [Fact]
    public void A_rotation_age_that_is_not_positive_is_refused()
    {
        var e = Assert.Throws<NaraAuthException>(() => CredentialActions.CheckRotationAge(TimeSpan.Zero));
        Assert.Equal("InvalidRotationAge", e.ErrorId);
        Assert.Equal(NaraErrorCategory.InvalidArgument, e.Category);
        CredentialActions.CheckRotationAge(TimeSpan.FromDays(90));
    }

    [Fact]
    public void The_action_names_what_to_do_for_each_state_and_nothing_for_a_good_or_absent_credential()
    {
        var window = TimeSpan.FromDays(3);
        string? ActionFor(Action<CredentialStatus> arrange)
        {
            var status = new CredentialStatus(CredentialKind.EdgeConnectorToken, "/x/auth-token.json");
            arrange(status);
            CredentialActions.Assess(status, Now, window);
            return status.Action;
        }

        Assert.Null(ActionFor(s => s.ExpiresAt = Now.AddDays(30)));
        Assert.Null(ActionFor(s => s.Downgrade(CredentialState.Missing, "no token file")));
        Assert.Null(ActionFor(s => s.ExpiresAt = null));
        Assert.Contains("log in again", ActionFor(s => s.ExpiresAt = Now.AddDays(2)));
        Assert.Contains("expired at", ActionFor(s => s.Downgrade(CredentialState.Expired, "it expired at 2026-05-01; log in again")));
        Assert.StartsWith("Fix the file's owner or mode", ActionFor(s => s.Downgrade(CredentialState.Unprotected, "others can read it")));
        Assert.Contains("Renew", ActionFor(s => s.Downgrade(CredentialState.Rejected, "the platform refused it")));
        Assert.Contains("belongs to ada", ActionFor(s => { s.OwnerMatchesRuntimeAccount = false; s.Owner = "ada"; s.ExpiresAt = Now.AddDays(30); }));
    }
}
