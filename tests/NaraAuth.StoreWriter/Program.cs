using NaraAuth.Core.Tokens;

// usage: NaraAuth.StoreWriter <token file> <token> <times>
var path = args[0];
var token = args[1];
var times = args.Length > 2 ? int.Parse(args[2]) : 1;
for (var i = 0; i < times; i++)
    new TokenFile(token, DateTimeOffset.UtcNow).Write(NaraAuth.Core.Storage.SecureFileStore.Default, path);
return 0;
