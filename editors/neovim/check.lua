-- A headless check of flowproof.lua: opens the file given, waits for the flowproof
-- client to attach and for the server's diagnostics, prints them, and quits (exit 0 when
-- the client attached, 1 when it did not).
--
--   nvim --headless -u editors/neovim/flowproof.lua -c "luafile editors/neovim/check.lua" FILE.flow

local function out(line)
  io.stdout:write(line .. "\n")
end

local bufnr = vim.api.nvim_get_current_buf()
local function clients()
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr })
  end
  return vim.tbl_values(vim.lsp.buf_get_clients(bufnr))
end

out("nvim " .. tostring(vim.version().major) .. "." .. vim.version().minor .. "." .. vim.version().patch
  .. ", file " .. vim.fn.expand("%:t") .. ", filetype " .. vim.bo.filetype)
if not vim.wait(20000, function() return #clients() > 0 end, 50) then
  out("no flowproof client attached")
  vim.cmd("cquit 1")
end
for _, c in ipairs(clients()) do
  out(string.format("attached: %s (id %d), cmd %s, root %s", c.name, c.id,
    table.concat(c.config.cmd, " "), c.config.root_dir))
end
vim.wait(10000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
local diags = vim.diagnostic.get(bufnr)
out(#diags .. " diagnostic(s)")
for _, d in ipairs(diags) do
  out(string.format("%d:%d %s %s: %s", d.lnum + 1, d.col + 1, vim.diagnostic.severity[d.severity],
    tostring(d.code or ""), d.message))
end
vim.cmd("qall!")
