/**
 * Private keys in every common armoured form. A block is matched from its BEGIN line through a
 * base64 body to its END line, with real newlines or with `\n` escapes (keys pasted into JSON,
 * YAML or .env values). Public keys and certificates have different labels and never match; a
 * body that is elided (`...`) or a placeholder (`<key>`) is not base64 and never matches either.
 */
import type { SecretRule } from "../rule.js";
import { isAgeSecretKey } from "../validators/bech32.js";

/** A newline, or the two characters `\n` of an escaped one. */
const NL = String.raw`(?:\r?\n|\\r\\n|\\n)`;
/** Optional RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: ...`, `Comment: ...`). */
const HEADERS = String.raw`(?:[A-Za-z-]{1,30}: ?[^\n\\]{1,120}${NL}){0,6}`;
/** Base64 lines; `\` and whitespace cover both real and escaped line breaks. */
const BODY = String.raw`[A-Za-z0-9+/=\s\\]{64,}`;

function pemPattern(label: string, open: string, close: string): RegExp {
  const begin = `${open}BEGIN ${label}${close}`;
  const end = `${open}END ${label}${close}`;
  return new RegExp(`(?<secret>${begin}\\s{0,2}${NL}?${HEADERS}\\s{0,2}${BODY}${end})`);
}

interface PemKind {
  readonly id: string;
  readonly title: string;
  /** See `SecretRule.risk`: what the credential grants, in one sentence. */
  readonly risk: string;
  readonly label: string;
  /** SSH2 keys write `---- BEGIN ... ----` instead of `-----BEGIN ...-----`. */
  readonly ssh2?: boolean;
  readonly remediation: string;
  readonly positives: readonly string[];
  readonly negatives: readonly string[];
}

function pemRule(kind: PemKind): SecretRule {
  const open = kind.ssh2 ? "---- " : "-----";
  const close = kind.ssh2 ? " ----" : "-----";
  return {
    id: kind.id,
    provider: "Private key",
    title: kind.title,
    risk: kind.risk,
    pattern: pemPattern(kind.label, open, close),
    keywords: [`begin ${kind.label.toLowerCase()}`],
    multiline: true,
    severity: "critical",
    redactPrefix: `${open}BEGIN ${kind.label}${close}`,
    remediation: kind.remediation,
    samples: { positives: kind.positives, negatives: kind.negatives },
  };
}

const SSH_REMEDIATION =
  "Remove the public key from every authorized_keys, deploy-key and account list that trusts it, then generate a new key pair: https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/reviewing-your-ssh-keys";
const TLS_REMEDIATION =
  "Treat the key as compromised: revoke every certificate issued for it with its CA and issue new ones from a new key: https://letsencrypt.org/docs/revoking/";

const PUBLIC_KEY = "-----BEGIN PUBLIC KEY-----\nasBTjNrDmk40hr1BcxnDUmhDEjRK37qIVBJx3k4M1TH/WoI2vMIpvJZOnfX5R2/4\nFkGuAQJbgQKv2EMpZ+ioT9F7Eqa97dPGHdQ8rXMSss1o4oj1ztcyOGL5RykjbDxK\nBp7GSqGGF+pxAsMvnaFbod8a49hwSb/xS3Yh4+Y7/qivtjJHswAo66KDKqtu0OiI\nFoz+nfwfZffcdLddCD3Qp80IC8jZa4LiczvWH/32zblTk3nm0G8ayaqfpHT0JfQr\nAV1o2r8wF9pkBWqJtynFbO3NoGefxuNwPSy+qApevLIszcXmnBibzmxSnCqAcr2R\nKCU3zPCzsKbmVGjUYRaZSuQ5cDUgUYERclJTwgYHrm/7LU28+BK8D2kZ+Z7TGAoJ\nUqF2kB/X5T8YBpJtX5RjYftF1b36qTIjsl9kj1Up==\n-----END PUBLIC KEY-----";
const CERTIFICATE = "-----BEGIN CERTIFICATE-----\nbs+T14ENBtLWha2Oy2xcl3MkkitEi23P5o2YGMhUSq7gXeQ6QIZgixJyeX5uctZQ\nbLA5KIR4qtJ/nnC+esKrnThluIUdByPYA2INvKGBjYHU1yPA+hRfHfVsKaBlhocq\n62BVoQQNUOFnXzQ8ybnxnxFlx/CcwKw40eunDYCPNOLjriFTxyjSyTYDivmWDrtJ\nhVgXkAfVMYvF3RUeQIyiJD6Rr/yPHFDY5xRwYCgQAeVmGz2AQNiExDjv2Hi9Rtd0\n17+CzAIxThLPtsVqhmWMFxJ3kdHXSwlQFoy4hTNXupOMcZD2rSdUbAwJK0uaP+dE\nIkEtGJjVaeuu3qhiM83BhK4Iie0ZQml45Fi51ySd96uUQoErv6UdBJhATshl84fH\n09UJD6ZPb46drQCXWZklZ1mYtVGp2fnYmr/yLLTT==\n-----END CERTIFICATE-----";

export const privateKeyRules: readonly SecretRule[] = [
  pemRule({
    id: "rsa-private-key",
    title: "RSA private key (PKCS#1)",
    risk: "Lets anyone impersonate whatever trusts its public key, such as a TLS server, an SSH login or a code signer, and decrypt what was encrypted to it; the key never expires.",
    label: "RSA PRIVATE KEY",
    remediation: TLS_REMEDIATION,
    positives: [
      "-----BEGIN RSA PRIVATE KEY-----\nGWg7zvWl6cwjGfsCUGyVA0dbmsMpz/KNhmrOOcwxztC4vakCj3qZJQMCqMA1E2ZF\nl3Kd+RJ7WSfz4XwaznLno3z+O1t0mHJC+x9qe4FG3gTYlGkm4wUYuIU4zcMjuXsM\nqa8uTcGsRDRgNfyaiN+Of3nBcYBZQyjUzTa+cfhxK//DcJ46rJqW+Gat/dtJCIX2\nBQjRxlK2Um165ppcKfJXLDsWWu7AC/6uoUzigRdIRGhexYkFW3REgiuIcdZK9JwB\nH9/Fn3ABGXJkVLOcY/w13eW+xVpxAgcFnC/bwoJ+rnUsQuqBs1sp6PKdvk62Ozoa\ngI31nNXiOsvfvTRwJDtWCCuarNjk/G1Z1Mj78D0HmHd1iwLcTPX5mpUdGe6z4XMT\nf1aooGH8VEdH+w/WCbAK0gaw2Sk40v3BoyPYVKW1==\n-----END RSA PRIVATE KEY-----",
      "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,FD041B4EC97AD9CB7CB652DBA558A304\n\nGUQhjYXBtoJI9P44+/HQTRqAWhFJUJJBkGXb6jkVYjKWDuaJ7aCEC+fc++7O9gAE\nP9xJCjANHqsKEXTtVsJ3iEB2FnvfNOHJGdjQyz2j8KYQSwYstOerpL+4ZLutAjst\nhuvnIMtaJ09JKzB855GFz1tAV9HL36+7V50UoLc1jKOzE/sEL/A1GnbM6+SMDxVn\nNRywMwtG4KNKXjKOQHu9ie0MvuRkXF0HBxiUXTYnzPfwkVsLxtr6H0B2vRx/6ooS\nUw7afpEusN9nYFa72C2V4mPrLKJ9K44fHfFlVJaKiSu2yKica+apDgtxI2zXYWa5\nvYHNruOZ7kr/tjwnp2GwU+wG+tkYUj2cyTqNMwuXWtgZnjKT4T7UvE4GzoMPYk7N\nLw3Naf26C/pn1OAie7uiUWWj18Ns1apYknjlCLw1==\n-----END RSA PRIVATE KEY-----",
    ],
    negatives: [
      "-----BEGIN RSA PUBLIC KEY-----\nyFtuXusKLLQUyJzA8UtGIwyIZJmbX2j3Fguq4X5jxNP+CBvE6KwYvnQtzJtB+f+D\nczYhQHJL+4xIgymV+NpTMc0Td3JdVGUzArhuj0SEFphLP7grvx2Qv9nCfc0DQaUw\nIueN8zQ+D9PxUlRoBintY/o4WfwWtMUyf8i6Rohy/xqMiSFbTLtgz/ZEkyN/iHON\nwyoVY/9ODU4xSbdEdTHBJmIh6KJHDnlIc0zjoSQxoL1LblllZbGnlr0fWKem5a/3\nIpwZj2ZlcndDt0Mrrp49TWlLUBja/ZqTyto1oeKvtUq/tX8CKOa71m/w2NstLPUB\ngvIhNIFM7SDyZ/pse5C4+IiLe7NLeTphRwPNHe3qWIVvkLWjZKIZU6xgqltE3gFi\nTF44ld5OwJiwcny5drTvyJCtqaVzPI91dxHD6ojT==\n-----END RSA PUBLIC KEY-----",
      "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
      CERTIFICATE,
    ],
  }),
  pemRule({
    id: "ec-private-key",
    title: "EC private key (SEC 1)",
    risk: "Lets anyone impersonate whatever trusts its public key, such as a TLS server, a signer of tokens or releases, or an SSH login, until every trust in it is removed.",
    label: "EC PRIVATE KEY",
    remediation: TLS_REMEDIATION,
    positives: [
      "-----BEGIN EC PRIVATE KEY-----\nERHKIKPje2in7g6bmDSNTFPq07axNgJ6PK+F4fDgxxL4g8xk6XvJ1NX1oDg/qWJZ\n397o4582bgXDRFE/HVMhafYW1W6/LxgwqBHEtgPZSUpdC1mrX58l5p2DJ1vyV3Ht\nVTPETu5fX/GzAiURN4MfEFpDkq1AMpyAmtpTFHDZKvksDQm0KhWVgPZZghfVZgQw\nxJEJUbK4+Dapny5pJYxSC/OnQWuZITjV3lYXY1JdkqXQW1VF4jGuPR85kDuYf+fB\n0yOqNnDPWairS4rITBrTg18dCDst8As1r0Zb1ieoAFIAqSuKsOl8lDMs4d4+c6SH\nVmZpHzuRTNGMyR4XVUL8t1KUf7YkAJ7DiHDuxhjaUoXN9Rz/BsCvcV8NYbVd7wdX\nbsEW2laXf5ls8g3PsnlE926qdGMQDtIoPUutcu96==\n-----END EC PRIVATE KEY-----",
      'TLS_KEY="-----BEGIN EC PRIVATE KEY-----\\n6WF3pZC1/lPIDHUqKiOnqXaE4Uxth0sXFIa680njH64HJmdoOq4f50ReYqT80dKF\\nrlBBMT1ax8Xydlh+28TSDTw13KB+8DfNzqz5t8SOrGjP0gYiyZBQV8nJP1PiKA2s\\nmJEakUd44GtW4k4eASmcwKdD7/petK4kqFmz0A5QcKqGW24fKzVKP+lOPrfLQHIK\\noX1qlHuN32Fo69WFwLhDUg70CqmuQqUnQ3NSkIGafhCymrMVUE5EG/N2JKJvU6mf\\n4jrWSNrCp84yhA8yqYYx+UZL1VCzY68NtB5Hv0tX3bKVTkwrjtiSo7LiW/LvlBM6\\nIQskdFQuQmOQZEAOKbeVfAfP1Zu1n684NOlZXlSTGqCWGtkpR6Ve5b6uMp+EXsu6\\nOPg/BauhESrKIwm9ETfTSMsEihsd+/6JZ28wMRj+==\\n-----END EC PRIVATE KEY-----"',
    ],
    negatives: ["-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----", "-----BEGIN EC PRIVATE KEY-----\n<your key here>\n-----END EC PRIVATE KEY-----"],
  }),
  pemRule({
    id: "dsa-private-key",
    title: "DSA private key",
    risk: "Logs in wherever its public key is authorized (older SSH servers, deploy keys) and signs as its owner; OpenSSH no longer accepts DSA by default, but older servers and tools do.",
    label: "DSA PRIVATE KEY",
    remediation: SSH_REMEDIATION,
    positives: ["-----BEGIN DSA PRIVATE KEY-----\nifwg1WL8uC3FHTEKk8agHOfeWFxWllITM9fuDz8ImWsYVm4pc5NCZb/4g6JiNtXA\nHDEmeVb9qggEjk3qWaQ2WMOmol0F7JvkiWgfmk0zWLL6oRtBrNDbfgOtvgNn632l\nYm4VTMbVVHDDr6lO8T6MyYsNPYd2UJFnJuaKCoiymwgy5XJY6vKJRGabXjI7Hroq\n28zFRdZNk7nIaT8b7Tyqxzy01l0wD+V87cOJ3w8vBE5gA0XLhFAZKUp0vm+NKfoj\niQ0qpD/EUzgTXMrf+HqWTkGCmvFRqkPuVuxltUldsnfvC9T7cuiH4s3+olY6csk9\nDJXSPG2CawQM4BiLdDfotTPWuZX1EW0i6C2OyLNI9T5O3uDx0iwPfsz/1SXQiqUr\nca5NOYv+FL/VYpJs8qJ22w171gvcayu7u1HFf3Om==\n-----END DSA PRIVATE KEY-----", "key: |\n  -----BEGIN DSA PRIVATE KEY-----\n  Zv79ZX6wsm23qH9nW/4JN711Zto4Jb1mktFZJWW88dh/p/cyp+z9dL5WpslRNEYz\nDC0va+K2mCklrgOPBoAuLyWpm7Es1TySPqwkUN140F2aOcVm5+FlB/XpUxh6bItm\nQZuYOkjVQhJd6ejQ6jC0+6dFT75OnsS6cUGy9odTyolc7TkkVxxCp42I2AJacos2\nxluVoHbHFoz2oZtRbL3OT8wV4SO+nPRkQ+263HA9XaRSaI86fP88HyxV/MDBRqd4\nh2TVFqCdf0di1ZT1XIy69PLr+aVOIswrNvwIHvtRgCk6TWxQx0wj4obzvdM+bV81\nrN70Hxn0NUq2TDBIuDSjQ2e1eC3Gg+8b3HneyD3X023FudxRM//Ik+z9wiNhFQFc\nXeA9EDzEYTAcQ+eVWoYFgNbKqwc/jeDBvcxDAWHM==\n  -----END DSA PRIVATE KEY-----"],
    negatives: ["-----BEGIN DSA PARAMETERS-----\nYx6/1hiq0zYJF9W5P26QXvkUxoyyq6NV9jOLAOfwMxwiBWlF/8Q0Wf/HiPk6bhhj\nuxrof2jxZpcuQGssd1zww95EPt297kxmL4+dLEbIQEq/4DH34FrQ5qC9wq50MB+P\nwNRKSjnIG2T4zpldnGTO301iIzv/qOdbvpQ+tuwQJEBWXTj7N/4MF5IhacTkILQj\nybLEnQROYaG7VLluvAJ+DQD80QZw23tJ/+Ix6ObBlKmMJwHnugKw8t2PSegHcpTJ\n5Eq4P3pDdc5rH65+Dge1kMwMVxKk2lgdogwzXR+LRm7n6Kjj1OqmA2BTIdMOmnup\nApvxDt5gHWCLj2ds5KcufGhMnubtmlMQFTgpeb6GHRcJAHCllaricZlY4FgSOsAV\ncNHlIK0pVBk5ecM0j6cDdg5ke0Uvr3kTRxDWmrrZ==\n-----END DSA PARAMETERS-----", "-----BEGIN DSA PRIVATE KEY-----"],
  }),
  pemRule({
    id: "openssh-private-key",
    title: "OpenSSH private key",
    risk: "Logs in to every server, Git host or deploy target that authorizes its public key and can sign commits as its owner; a passphrase only slows an offline attack.",
    label: "OPENSSH PRIVATE KEY",
    remediation: SSH_REMEDIATION,
    positives: [
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAARLPLD5R2SjvY0qf9hbec8UAZLAR0EYNkbs1GnSe7Gkol5NRcKOyEzGmd6XeqNYka\nz+MfLxcBukoSUdv3U6/SCG76xeOw+kKxhEG3cPz2iUsELd09cN38ikDRJ1Vjr4mv\n33EgKWoSr9R30zhwZxij/+Hq3zOGnaYsb5r1/lowfgBf3NAPJsjZ2+eaQZoE1cdM\nFnFTISyOdrXrvjAv4Se9bWKF1TjcpE2LqADkHSJ2LGrl3UuKsPdn+w3/e6suwhSN\nu3n7dEXgAZiVWgxh7LDh9KQDHDWCNL9BRd99u81vl7WoCF1SRUu4QLn7dEb7YJbM\nN71KVaRl0k+c5JtMmhIVpx6tMMp6pEUitKS38cvVMkmG8rCrvld2lwfvhskpGcPC\nqmZAq+4yzs4U25kMzD1r2MRxvhy4YS6K0l+426TY==\n-----END OPENSSH PRIVATE KEY-----",
      "SSH_KEY: \"-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAAfSJarAvnGMRjzJ36R0BnUjLNQpZAGe/OlwBmyESZYTtoui4yj9SrD4ChKmth0eOL\\n7lrj/T/d1OQUvFNxLsxqEDDPB8ChE1CvrdGPllUzrG6562FtEFrfAYqtJoyw12z1\\nE5yCL10HgEx39DHOqID7o4+LeZwKLs+mlAWoeRUwkDapGW6R9ngP1Rf4OzSEYFg2\\nUamyEZc62AAjRxZQ/PrB1YK5ClboBSxI+VxCSFBpz+y+qsLpykS/M11ykIq5NZM6\\nELl5ISMmZnPjBjYiw2755GFy9iuN84XJXfTkm7l/ebpPD3UBxsBagjP3rvIxCLRA\\nPovgS/xJ9fQWpsaY4hs4s9tMD86Cp2w/Gath43uYex9Z6becjvLbZhbzlRDfEvW+\\nxXJE40ELbK3m0Kmxx5XU8kO4hawiB7hjKoo2GiAl==\\n-----END OPENSSH PRIVATE KEY-----\\n\"",
    ],
    negatives: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFMH8LrYgD0LZsCei9HKFF+F8bU2rELZBOhic492lntJ deploy@ci", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQBRDgTtnaiGyQ8xF7JMqryZ85OdiUUNS+Pd5+dX8peJVu50SCQs3rf9KO7sCAMT5Jd/Ao10PnELbjwB8ryq1A+NzX9sCi4MDMJvtXoEi4G9wG1FFU2VgfI21+kmmjw7R45o0GR/ALNIxWBDjUIJKhKqM4tB2d3pmeQ01kyy+UWviKbDJwYfCGg0AeBlAxHJ1/UcbKdh+Q user@host"],
  }),
  pemRule({
    id: "pkcs8-private-key",
    title: "Private key (PKCS#8)",
    risk: "Lets anyone impersonate the TLS server, service or signer that holds it: intercept its HTTPS traffic, or sign tokens and releases in its name until the key is replaced.",
    label: "PRIVATE KEY",
    remediation: TLS_REMEDIATION,
    positives: [
      "-----BEGIN PRIVATE KEY-----\nMIIEvTp2ueKa/IVa016+/fxncpnMpzdfqGOzFWxPLVS+cbMhhovmMYKvf2n6XibvL5UEZ\n9eWr4j0Cop6X98eK6HlfY/S6fIVm3F0ap3aJ13PIlUZaXsNhpYkierFmT7ozedBE\nwacrMqrFQ286135wrfKkCrB9i4XSWa/kSUvu5cQMghPw4kqIcOZ2Hir4CpTgFXhc\nuTQOoYZKXjqWDk0xFGNvX3h6tzt3kxv8knAzTuU/KOKSaHAVevOL3f81E7B5/dLd\n9B0NXwpTfthkKG0mhTl/utVN2CZxSP1Cv7FjeSp8NsVcwv0BuzR1AnfSkIqBsqCk\nedGfwF6H2f3isyJ6CWs0bbYDkH/EtSgIhaK/WX5n8yAkbtxDt9Y/sTojmEzpSEaf\nn6APVnEGc/QkGT7MgKtaw+17dlKITPQ98FgcvQl4==\n-----END PRIVATE KEY-----",
      '  "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvJECJvux1hEWhDaEr05ciESVyArrmUzQa15eqC0AShmT3x9LnRWSmze432b4mTriL\\nytnQNX5un1cd67nBYjE2F+X5po5BKmgZqTEJ9Iw/qOMjUXhdMzyLBh6PihOeWrkM\\nDt7GS9zZ+hMl01dVCY5d6zVIA+E48dpftVuk8uuwWRLCkgWqoLqbb1Rd5sNuWVBV\\nWdGRYKh+Pw10xsDQ7aIuMeXC7kcbGQPIvK90KWeMNQcr4CsNgx05ODMNiDrTcQUe\\nRba6PzKYUtqMiwvsmToo07u2WPfdzvTg6TKTYmcVZiOdCJPE1VTLdppNnufua0jn\\nJ/s5s40E5cfYKpz8jO9JkTSMAyLX1B4Ca4SiGuefdXj334uC2RyInuJZXtUelvPc\\nieNM+K1V3jMvdpsK9ultgwCjvPr8ZhIe8NEkCQkC==\\n-----END PRIVATE KEY-----\\n",',
    ],
    negatives: [PUBLIC_KEY, '"private_key": "-----BEGIN PRIVATE KEY-----\\n<PRIVATE_KEY>\\n-----END PRIVATE KEY-----\\n"'],
  }),
  pemRule({
    id: "encrypted-pkcs8-private-key",
    title: "Encrypted private key (PKCS#8)",
    risk: "Its passphrase can be attacked offline with no rate limit; once cracked, the key impersonates the server or signer it belongs to.",
    label: "ENCRYPTED PRIVATE KEY",
    remediation: TLS_REMEDIATION,
    positives: ["-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHTpINi9APH5cJldsQllp6GEEqFpI1DSOwheKRNuIEWCfiQwbwMN1IY4fGzeLJaTJf\nN/G0ep9qgmae4YsOFluMaIkGWVBtDujXbZ/tyeykAUEM8CZy82941u80qLcQr/4X\nUpxAtrvmyIfgIDLMuHatyecspwhCAGC/jqXN42qn7NwpuhVP87JFBBPvCthCVFPw\n8hVoErUH/K4QPUTuFGCifLVmN11OZfXh+ZH7QRGocprJiL/cB6GS2UFLYY+bertA\nCljhJ5Gs0JreQc8lapPAHBQ8uTqUZeeiTN/1b2UT9ToobFGCSorgHDhxJJcs+HGo\nHRVEr1NL9uSnPIgv0u8Qkl+2/RnRJ+0LfZB0Iy49mICvZdZzeOgiDF095e/9x/0C\nWPuecyyAIt+dr1Xt+wC+20fXyp6+EdR1oZeM4+WD==\n-----END ENCRYPTED PRIVATE KEY-----", "-----BEGIN ENCRYPTED PRIVATE KEY-----\r\nMIIFDD3oBuAquqFBxtgTQMmx88qpvEPyjJgfBShNAhxY/1Tus4bltOu9G+Iq5ZcyIn9vQ\n9NZesuePwjiB2NTn9YaUWpXFDYfRIp9PLo1ThfiiZdxC/9jDfUEIGsY1MxmveuEU\n3pHxrWQtA1UGdANL1/tdtWzBbcKnt0OyP3THyMiB0dOI/goor1R5VL7ipShhJAFl\n24C/q3XJpYaO64EpFtMeczmHaSH/g7od/Ap7Fb7HMWrDyCHt55+5fdsLI4i65Xle\n1qniU89Iau0Agr+r2iC0fYEbfmNlH6p1A/VuV7TvTruFg7+vkAx1I4lp7OMvddgw\nSLz2Z6BXmy619UT4dXNvmeHZQ4ZOvffDk0owTX05maejUk3dRqA4d5V0nejIFTH9\nwN9gc6+TrSa6rMOiDteVRAWsBe50qTiBeckOiaNc==\r\n-----END ENCRYPTED PRIVATE KEY-----"],
    negatives: [CERTIFICATE, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n\n-----END ENCRYPTED PRIVATE KEY-----"],
  }),
  pemRule({
    id: "pgp-private-key-block",
    title: "PGP private key block",
    risk: "Signs commits, releases and mail as its owner and decrypts everything ever encrypted to them; a passphrase only slows an offline attack.",
    label: "PGP PRIVATE KEY BLOCK",
    remediation: "Revoke the key with its revocation certificate, publish the revocation to keyservers, and create a new key: https://www.gnupg.org/gph/en/manual/c14.html#REVOKECERT",
    positives: [
      "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQVYBGrz7RZHNYBpDfX6vHKxV9u5PGtJXPCGVXVgsSmsymAly3yruDv8No6DiQz5CkMiw+\nBQVPNUPBB8grT8y1qXJjH693doahWZ+ZrEHIPHEC+FEYztHv3/UgnWe4JhFXNkAB\nSpKNC/oXBe52DxlZ01LQmLd+TfThBok+60HzuOthPWzSlVsjr7eZldhb1KxgC6Ap\nlRMudMrIva+RoJUciGS0am4iPE0FIxS8l/K/4RjKqsj9D+nmlxlpM7zwEYJzLwGn\nWx83qG65NKZlanu6mV9ev7Vh0eb0m2bhrOwIBisIGMj2ABfPMi1Eiy+v+Lw0kTaQ\nnuF9i3oc3CkCbkrfF61yqDgsJiun1yG0kRF+TW5d6FhnpTlBZkeVJvqLiZfOT4Hg\n9FpXKUcBOueiE/sUmYVVL/1m94GARSoPVrhkEHht==\n=+cWf\n-----END PGP PRIVATE KEY BLOCK-----",
      "-----BEGIN PGP PRIVATE KEY BLOCK-----\nComment: signing key\n\nlQOYBF3bvNwSxHkCqChqtHJrx8ZEz0l7FwlY6T4Gt61R04ELcEW1yKRmu+EuPFLs16cQlf\nV6gKjaPH54z98oU/mO2TjiMD2gZHOmwQlnNXCNpP69jBKz274bKhqZ/4y08NsUSo\niIBOs5ybF2HfuN6k+HUZLYCjktfxbm0NL8oL26gdfH95yQluWFROelcuyi56Hjh2\nezEUeORoqY6KCT2wC5PkAiqLIhnjMS/twQY3KJG2LknumFyajisEzP4DwLDbpt2N\nMqErzbGwMwDAMGCxW3+Xuawy3lLj/VAHQ7e0OqkUAGao8qWjY4ANT5f8844uB2Tz\n+9rPaI7icQe1lWbOJC0loPvPi4PXCfk/ZycbD6jL9Zr3Bdgd7scpkIHE7jaQp6qM\nniQ8uk6qFlIslmzQ6gB3SwEb+b8zy+fd6V2JBclD==\n=21O4\n-----END PGP PRIVATE KEY BLOCK-----",
    ],
    negatives: ["-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGAEtrmd5gmzPaAA/zgnmejoPB+cpUuPCNXFwNs3OVvgBmBrDOWnPLpuwfP4v4/mMh\nhMr5nGJCfyTjdPh4uvXCa7eFzlK42WeUkPMiDADm2Mf8WyeTySIOKWIJwxSk5gwH\nuNnbCqHFRxPp7xUk45V4h86rsplkxvtJRuTkFzTRcletuGpoLfk2kfwru9ijNIaG\niiNeitksznDRes0aGfA4QUczdNLw3zJJtCGR/BHW0C43+t1enYKDnPRXDlcImFPi\n1DM5yCgeAYdQcgc084S+CSN0psEdcWd7+Zwxvgo02sPD56pr6QzaRLRBT8u22+OB\nLKqlkbf7S66TwpSAPv40CIwFAgKLGyjH7AQvThBbzcaUqTzQbqMiZpMiWiXFqe2q\nLRqY1+t4cXnXEr6rWUv49d2p8HsAKk1sJRpqJEZy==\n=jFnk\n-----END PGP PUBLIC KEY BLOCK-----", "-----BEGIN PGP SIGNATURE-----\n\niQIzBAqNG+YCpmBgYou3kjlvGDuQR+4qJi8Dl1XkKsdUw7dYhSqMl4Tr3I3LOdsDrMZBVA\nioJV/EKMT4l+ifdTSWN3WYi+V3Fgyt0V1wEyyGoJMTwai/JO2dgYnfosdKakWWs1\npt5CatAH1XCupqFV/vuCrkco5Ig5gezbRtfQmi81at+ZrbOGfYXoW/qMkOBLgnaK\ngLdQ0yqkLFfZncMcupBsMEESOEb5ltDAI40NwJiQeUy4R9nPmWngI5c3Zptl2fzi\nDEVEBK5ZHVThaoc1PEItHKa9Ybr73g89b1MMkw5KnLFKeDO4rZJ7bp3kKmEeIyPd\n4C+sn+Ls+JEf9mKZdKVdnEx3BNOVaXdOVsV2sabAfAHscaVO/MqZkczrYO+WQlOo\n4FA338+yrIqgTbLM9ilwZlbLn3ys1M2/lVNQKk/5==\n-----END PGP SIGNATURE-----"],
  }),
  pemRule({
    id: "ssh2-encrypted-private-key",
    title: "SSH2 (RFC 4716 / ssh.com) encrypted private key",
    risk: "Logs in wherever its public key is authorized once its passphrase is cracked, which can be tried offline with no rate limit.",
    label: "SSH2 ENCRYPTED PRIVATE KEY",
    ssh2: true,
    remediation: SSH_REMEDIATION,
    positives: [
      '---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nComment: "deploy key"\nP2/56wAAA0b7eBXQ79qg0wCz5Dv4BMCA8r/Gv6n+6lH5s46T+WyDejNA+xfluaAFXa7wK2ft+\nAbNpFfW3BrvxGGC+RBAHn0uzG9YeR/mlAkdNFjfFHFFkTe8BGdeAqQsuGEeW8I9r\ntQhzUK84exLk0aNKSv4FnG0xMxTG1MwXdMlmSwFrLNFFJ72AI71TsAMAkU5tsHDD\n/pe0gFDNBZz4nDtg8h0yZhwnnjMuTOfcI8satWw0jTAAV2LdS3wxhbJLkhi61WlM\nENsmmAwqmrbExfDnjDAMdCzJ3G6GP3eUQ9JhJ/erDrSmzzyPZdJSbfMLRp+yfaGm\nGMoM1I0v0AJCsCCkURsjArJ6dU2YdnOUWpRQHcX9C9+CDIb8E0ExCzMyg+9DgcZ8\nGYZZHP8qk5JcIJxBa8Z8Rsmuzn1qmcqHf8vDqrO9==\n---- END SSH2 ENCRYPTED PRIVATE KEY ----',
      "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nP2/56wAAAKQ8lHN/a1ORXyNZLuCvXt6UBjC3YTE19g8rUGdvMu5GePeR1u4tlmo/0XoyhlLHj\niI3r8A9nK/qg07G9A75iRMQw5tL4yVnmt76/ijfsrq/9MLggLDRhtFKEMLwNzyHK\nj76+jscq010lbCq9HCj0lJjBlXvi3nu4pQ8KPiuNkE3fR3HLSTjlrn3XVFZzqrco\nlKLK16vue7eszvmwt4BecuLvBJL7OIJSIbGFwRH3V6eYASlr7Po98+grorpTfRr4\nKMqrBJ8OMr3ECgjj+YbAg/y/noKGGfi86nzFTZ9lQf7otK/xz3D4uOCBrUOKkYjY\nh8ZDgqRyvKKvHeIu+4DtW0/kyAm3iS7Xrip4m8mh0c57MV7OQ6FOo4QxcGg6OY3f\nEySG1PJQ2LYJ/zogl+ilwtMOPdMMF2hGRWyaVztb==\n---- END SSH2 ENCRYPTED PRIVATE KEY ----",
    ],
    negatives: ['---- BEGIN SSH2 PUBLIC KEY ----\nComment: "deploy key"\nAAAAB3NzaC1yc2EP/WL/OJqeVe1J0yzqyZYOtcEe/kSTpdSnfseHgsRuy/A2O+MWzGKwxLSFoWjKu/N\nyu4XlTmPkHP8VDGCyaaCGKph0Jl3dcKhmMjPRVkX+Tmfcmt0ErzV2qMaB41p+pjH\ncfbRoUkplutgGHo+ch9XYALuwDHS6ww0kTbZn6e4RGcw6Sgh/ci22LyOapRrbspW\nVAf0u5AKKF8BS4Y7XJtFAEtf7Uy+F9WZu6pSzYGCmrn3pvRP0Abc2qe0wEU0VhZg\nC3CeJ1LswCKbSjCRqXxvQqMINbkjTHinxixw947uGzXTwDqwv8q82AAUNOAuo5m+\nSO7Kpw1xJENhoPuaBHWpb4k9KkU59evplYrA5ldyuZ4dP4aP/PESrWUaUT8v4Fp0\nd7azeBb47D0XjgQf67WVMW1b9R2YCEHpvEMJpEDz==\n---- END SSH2 PUBLIC KEY ----', "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----"],
  }),
  pemRule({
    id: "openvpn-static-key",
    title: "OpenVPN static key",
    risk: "Lets anyone join or decrypt a static-key VPN, and in `tls-auth` or `tls-crypt` setups strips the server's first layer of protection against probing and attacks.",
    label: "OpenVPN Static key V1",
    remediation: "Generate a new static key (`openvpn --genkey secret`) and deploy it to every peer: https://openvpn.net/community-resources/reference-manual-for-openvpn-2-6/",
    positives: [
      "-----BEGIN OpenVPN Static key V1-----\n9d65e4f96e7c5aed82519b2fb4bfb2d2\n2c786ad76051befdd3b0ed2df84645bf\n5104ea44f4acc55cf559e16ec07e1781\n4b2d4a0bfe2d2a41419641d2d46fa1f2\n11f11f7a2342e655b8afeca53f6acf12\n627268003535c89d6c8e4723665999f1\nbf6870157d1c62557cbf1f95e65b5971\nf96870354aee7e74a29162be18d23ef0\n-----END OpenVPN Static key V1-----",
      "<tls-auth>\n-----BEGIN OpenVPN Static key V1-----\ncb0b9020922930580b5769c34bee2508\n1ba5887764e7cde944ae4406a61e1d63\nc0b9fba22a66b39a158b276723cabfb2\n0cc698c655a8fa2707dd88f24367faf2\n9cdd80b1dd3087a098f1ff479899293b\n71b7f6e2023200fc9678dc17b30501c1\n-----END OpenVPN Static key V1-----\n</tls-auth>",
    ],
    negatives: ["tls-auth ta.key 1", "-----BEGIN OpenVPN Static key V1-----\n-----END OpenVPN Static key V1-----"],
  }),
  {
    id: "putty-private-key",
    provider: "Private key",
    title: "PuTTY private key (PPK)",
    risk: "Logs in to every server that authorizes its public key; a passphrase-protected key can still be attacked offline with no rate limit.",
    pattern: /(?<secret>Private-Lines: [0-9]{1,3}\s{0,2}(?:\r?\n|\\n)[A-Za-z0-9+/=\r\n\\]{40,})/,
    keywords: ["private-lines:"],
    multiline: true,
    severity: "critical",
    redactPrefix: "Private-Lines:",
    remediation: SSH_REMEDIATION,
    samples: {
      positives: [
        "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAISrkM10Hrh96qHIdzQDqK/9WtKpkleesmyBD6TrT/\nxhqtUGcV4vHzHS6Bk0NS\nPrivate-Lines: 1\nAAAAIc3vF9obe7zcrwnXfqnqC7dKiK0Y5BYH+lihbWcf4\nPrivate-MAC: d61c6022c76543f3761e1ebabc0e8547462ef2fd8ad585cb2c8486712a44208e",
        "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: rsa-key-2026\nPublic-Lines: 1\nAAAAB3NzaC1yc2EF5W9zKGTZ/+yWssBDKdbwQnqZqbjqlGLMzLFS7KCkTfwQ9XKVJe2jsy0PDC2\nPrivate-Lines: 2\nniaJiLoTVXBbQEIarN7ZOyC+4PTMpVdKe/EsFi0uMyuzJn8n+V5Rl+qWdt+sk1Nk\nqVLk/T2jC2EA2WGrqbOKxurQn+2ikXTTjyAGx850wHDx\nPrivate-MAC: c72b0133322c516e000e238a5f0651d656f678fb",
      ],
      negatives: ["PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAIV2h5H2DCEVFT0Ea6R6GPDQxoFvbIPhAOISTwLMWQ", "Parse the Private-Lines: header of a .ppk file"],
    },
  },
  {
    id: "age-secret-key",
    provider: "Private key",
    title: "age encryption secret key",
    risk: "Decrypts every file encrypted to its recipient, such as SOPS-encrypted configuration committed to the repository.",
    // The `secret` group is the bech32 body: "SECRET" in the prefix would read as a placeholder word.
    pattern: /\bAGE-SECRET-KEY-1(?<secret>[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b/,
    keywords: ["age-secret-key-1"],
    // The body ends in a bech32 checksum (validators/bech32.ts): a mistyped or made-up key fails it.
    validate: isAgeSecretKey,
    severity: "critical",
    remediation: "Generate a new identity (`age-keygen`), re-encrypt everything for the new recipient and remove the old one: https://github.com/FiloSottile/age#readme",
    samples: {
      positives: ["AGE-SECRET-KEY-13N6TL3RLYNJVE82NFG62J6LW634UJGZA0CJSSGZ93K94VE55URPSPDC6C8", "SOPS_AGE_KEY=AGE-SECRET-KEY-1RL5R3EA246WVRF0N6PZZZLZES2EDWC7PQCRKYHQUH5ETAXY74SQS90HRC4"],
      negatives: [
        "# public key: age16cccl0x9gj3f45pghrfu6qf3h8nac3q54vg23crtxfacstqc7j6u34mm4j",
        "SOPS_AGE_KEY=AGE-SECRET-KEY-1C5UQRFWN9FJ458ZPWCLF8Z7VPRNCK3",
        // One character of a valid key changed: the checksum fails.
        "SOPS_AGE_KEY=AGE-SECRET-KEY-1RL5R3EA246WVRF0N6PZZZLZES2EDWC7PQCRKYHQUH5ETAXY74SQS90HRC5",
      ],
    },
  },
];
