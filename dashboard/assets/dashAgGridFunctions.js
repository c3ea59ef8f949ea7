/* Functions dash-ag-grid column definitions call by name. */
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

/* A number in the page's language: grouped thousands, at most `decimals` (default 1) places. */
dagfuncs.bscNumber = function (value, decimals) {
    if (value === null || value === undefined || value === "" || isNaN(value)) {
        return "–";
    }
    var places = decimals === undefined ? (Math.abs(value) >= 100 ? 0 : 1) : decimals;
    return new Intl.NumberFormat(document.documentElement.lang || undefined, {
        maximumFractionDigits: places,
    }).format(value);
};
