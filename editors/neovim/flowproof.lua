-- flowproof for Neovim 0.7 and later: `.flow` files get the filetype `flowproof`, and
-- `flowproof lsp` is started for them (one server per directory) and attached.
-- No plugins needed. Load it from your init.lua:
--
--   dofile("/path/to/flowproof/editors/neovim/flowproof.lua")
--
-- or copy it to ~/.config/nvim/lua/flowproof.lua and call require("flowproof").setup().
-- Loading it sets things up with the defaults; setup() again replaces them:
--
--   require("flowproof").setup({
--     cmd = { "/opt/flowproof/bin/flowproof", "lsp" },  -- default: found as below
--     on_attach = function(client, bufnr) end,          -- e.g. your LSP key mappings
--   })
--
-- The executable: `cmd` if given, else vim.g.flowproof_path, else `flowproof` on PATH,
-- else $CARGO_HOME/bin, else ~/.cargo/bin (flowproof.exe on Windows). If none is there,
-- it says so once, with how to install flowproof.
--
-- :FlowproofVerify verifies the claim under the cursor and shows the verdict. The
-- server also offers a "verify" code lens above each claim: show them with
-- :lua vim.lsp.codelens.refresh() and run one with :lua vim.lsp.codelens.run().
--
-- Written for 0.7 (vim.lsp.start_client + vim.lsp.buf_attach_client); on 0.8 and later it
-- uses vim.lsp.start, which does the same.

local M = {}

local uv = vim.loop
local is_windows = vim.fn.has("win32") == 1

local function executable(path)
  return path ~= nil and path ~= "" and vim.fn.executable(path) == 1
end

local function join(...)
  return table.concat({ ... }, is_windows and "\\" or "/")
end

-- The flowproof executable, or nil and the places looked in.
function M.find_executable()
  local configured = vim.g.flowproof_path
  if configured ~= nil and configured ~= "" then
    local path = vim.fn.expand(configured)
    if executable(path) then
      return path
    end
    return nil, { "g:flowproof_path (" .. configured .. ")" }
  end
  local on_path = vim.fn.exepath("flowproof")
  if on_path ~= "" then
    return on_path
  end
  local name = is_windows and "flowproof.exe" or "flowproof"
  local home = is_windows and (os.getenv("USERPROFILE") or uv.os_homedir()) or uv.os_homedir()
  local looked = { "PATH" }
  local dirs = {}
  local cargo_home = os.getenv("CARGO_HOME")
  if cargo_home ~= nil and cargo_home ~= "" then
    table.insert(dirs, join(cargo_home, "bin"))
  end
  table.insert(dirs, join(home, ".cargo", "bin"))
  for _, dir in ipairs(dirs) do
    local path = join(dir, name)
    if executable(path) then
      return path
    end
    table.insert(looked, dir)
  end
  return nil, looked
end

local options = {}
local clients = {} -- root directory -> client id (for Neovim 0.7)
local warned = false

local function not_found(looked)
  if warned then
    return
  end
  warned = true
  -- Scheduled: an error message from inside the FileType autocommand would be reported
  -- as an error in the autocommand itself.
  vim.schedule(function()
    vim.notify(
      "flowproof: the flowproof executable was not found (looked in: "
        .. table.concat(looked, ", ")
        .. ").\nInstall it with `cargo install --git https://github.com/flowproof/flowproof flowproof`"
        .. " (needs the Z3 library: libz3-dev on Debian and Ubuntu),"
        .. " or download a release from https://github.com/flowproof/flowproof/releases;"
        .. " or set vim.g.flowproof_path to the executable. Then reopen the file (:edit).",
      vim.log.levels.ERROR
    )
  end)
end

local function start(bufnr)
  local cmd = options.cmd
  if cmd == nil then
    local exe, looked = M.find_executable()
    if exe == nil then
      not_found(looked)
      return
    end
    cmd = { exe, "lsp" }
  end
  local file = vim.api.nvim_buf_get_name(bufnr)
  local root = options.root_dir or vim.fn.fnamemodify(file ~= "" and file or vim.fn.getcwd(), ":p:h")
  local config = {
    name = "flowproof",
    cmd = cmd,
    root_dir = root,
    on_attach = options.on_attach,
    capabilities = options.capabilities,
  }
  if vim.lsp.start then
    -- Neovim 0.8 and later: starts a client, or reuses the one with this name and root.
    vim.lsp.start(config, { bufnr = bufnr })
    return
  end
  local id = clients[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if client == nil or client.is_stopped() then
    id = vim.lsp.start_client(config)
    if id == nil then
      vim.notify("flowproof: could not start " .. table.concat(cmd, " "), vim.log.levels.ERROR)
      return
    end
    clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

-- Asks the server attached to the current buffer to verify the claim under the cursor.
function M.verify_claim()
  local bufnr = vim.api.nvim_get_current_buf()
  local params = vim.lsp.util.make_position_params()
  vim.lsp.buf_request(bufnr, "workspace/executeCommand", {
    command = "flowproof.verifyClaim",
    arguments = { params.textDocument.uri, params.position },
  }, function(err, result)
    if err then
      vim.notify("flowproof: " .. (err.message or tostring(err)), vim.log.levels.ERROR)
    elseif type(result) == "table" and type(result.message) == "string" then
      vim.notify(result.message, vim.log.levels.INFO)
    end
  end)
end

function M.setup(opts)
  options = opts or {}
  warned = false
  local group = vim.api.nvim_create_augroup("flowproof", { clear = true })
  vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
    group = group,
    pattern = "*.flow",
    callback = function()
      vim.bo.filetype = "flowproof"
    end,
  })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = "flowproof",
    callback = function(args)
      vim.bo[args.buf].commentstring = "// %s"
      vim.bo[args.buf].comments = "s1:/*,mb:*,ex:*/,://"
      start(args.buf)
    end,
  })
  vim.api.nvim_create_user_command("FlowproofVerify", M.verify_claim, {
    desc = "flowproof: verify the claim under the cursor",
  })
  -- Buffers already open when this runs (e.g. setup() called again).
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.api.nvim_buf_get_name(buf):match("%.flow$") then
      vim.api.nvim_buf_call(buf, function()
        vim.bo.filetype = "flowproof"
      end)
    end
  end
end

M.setup()

return M
