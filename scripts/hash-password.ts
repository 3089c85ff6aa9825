// npm run -s hash-password < password-file : prints the bcrypt hash (cost 12) of the password read from
// standard input (one trailing newline dropped), as Argo CD's admin password takes it; no newline after,
// so that `pulumi config set --secret tacos:argocdAdminPasswordHash "$(npm run -s hash-password < f)"` works.
import bcrypt from "bcryptjs";

const chunks: Buffer[] = [];
process.stdin.on("data", (chunk: Buffer) => chunks.push(chunk));
process.stdin.on("end", () => {
    const password = Buffer.concat(chunks)
        .toString("utf8")
        .replace(/\r?\n$/, "");
    if (password.length === 0) {
        console.error("hash-password: no password on standard input");
        process.exit(2);
    }
    process.stdout.write(bcrypt.hashSync(password, 12));
});
