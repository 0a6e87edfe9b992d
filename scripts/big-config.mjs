// A config.toml with `count` profiles in the documentation's style (comments, sub-tables,
// a token file each): what scripts/measure-web measures and the browser tests edit.
export function bigConfig(count) {
  let text = "## influxctl profiles\n";
  for (let i = 0; i < count; i++) {
    text += `\n[[profile]]\n    ## cluster ${i}\n    name = "cluster-${i}"\n    product = "clustered"\n    host = "cluster-${i}.example.com" # region ${i % 7}\n    port = "443"\n\n    [profile.auth.token]\n        token_file = "/home/ops/.config/influxctl/token-${i}.json"\n`;
  }
  return text;
}
